package sn37.miner.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import sn37.miner.model.Dtype;
import sn37.miner.model.ModelConfig;
import sn37.miner.model.llama.LlamaConfig;
import sn37.miner.model.llama.LlamaModel;
import sn37.miner.model.llama.LlamaWeights;
import sn37.miner.train.ChatExample;
import sn37.miner.train.TrainSettings;
import sn37.miner.train.Trainer;

/**
 * Tokens per second of {@link Trainer} (forward, backward, clipping, AdamW) on the benchmark
 * Llama, and the process's peak RSS; with {@code --python PY}, the same against transformers'
 * LlamaForCausalLM in PyTorch eager (bench/train_baseline.py), alternating rounds. With {@code --trainer torch},
 * also the project's PyTorch trainer on the same model, examples and hyper-parameters, started as
 * {@code --trainer torch} starts it ({@link TorchTrainerRound}) once per {@code --nproc} process count: its
 * tokens/s, launch cost and process-tree memory against the DJL trainer's.
 *
 * <p>Usage: {@code TrainBench [--threads N] [--steps N] [--warmup N] [--rounds N] [--python PY]
 * [--trainer djl|torch] [--nproc 1,2] [--trainer-python PY] [--torch-checkpointing true|false]}
 */
public final class TrainBench {

    static final int HIDDEN = 256;
    static final int LAYERS = 4;
    static final int HEADS = 8;
    static final int KV_HEADS = 4;
    /** Llama's SwiGLU width ratio (11008 / 4096), rounded to a multiple of 16. */
    static final int INTERMEDIATE = 688;
    static final int VOCAB = 32000;
    static final int SEQ = 256;
    static final int BATCH = 4;

    private TrainBench() {
    }

    public static void main(String[] args) throws Exception {
        // Logging (DJL's, ours) must not reach stdout, which carries the one JSON line.
        PrintStream stdout = System.out;
        System.setOut(System.err);
        int threads = 2;
        int steps = 20;
        int warmup = 3;
        int rounds = 1;
        String python = null;
        boolean torch = false;
        List<Integer> nprocs = List.of(1, 2);
        Path trainerPython = null;
        boolean checkpointing = true;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(value);
                case "--steps" -> steps = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--rounds" -> rounds = Integer.parseInt(value);
                case "--python" -> python = value;
                case "--trainer" -> torch = switch (value) {
                    case "torch" -> true;
                    case "djl" -> false;
                    default -> throw new IllegalArgumentException("--trainer must be djl or torch, got '" + value
                            + "'");
                };
                case "--nproc" -> nprocs = Stream.of(value.split(",")).map(Integer::parseInt).toList();
                case "--trainer-python" -> trainerPython = Path.of(value);
                case "--torch-checkpointing" -> checkpointing = Boolean.parseBoolean(value);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "': expected"
                        + " --threads N, --steps N, --warmup N, --rounds N, --python PY, --trainer djl|torch,"
                        + " --nproc 1,2, --trainer-python PY or --torch-checkpointing true|false");
            }
        }
        Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(threads);
        JniUtils.setNumInteropThreads(threads);
        ObjectMapper json = new ObjectMapper();
        Setup setup = Setup.of(steps, warmup);
        Path startModel = null;
        if (torch) {
            trainerPython = trainerPython != null ? trainerPython : TorchTrainerRound.defaultPython();
            startModel = setup.startModel();
        }
        List<Double> java = new ArrayList<>();
        List<Double> javaWall = new ArrayList<>();
        double[] trainingRss = new double[1];
        List<JsonNode> baselines = new ArrayList<>();
        TorchTrainerRound.Rounds torchRounds = new TorchTrainerRound.Rounds();
        for (int round = 0; round < rounds; round++) {
            double[] wall = new double[1];
            java.add(javaRound(setup, steps, warmup, trainingRss, wall));
            javaWall.add(wall[0]);
            System.err.printf("round %d: java %.0f tokens/s%n", round + 1, java.get(round));
            for (int nproc : torch ? nprocs : List.<Integer>of()) {
                TorchTrainerRound.Result r = TorchTrainerRound.run(trainerPython, Path.of("trainer").toAbsolutePath(),
                        startModel, setup.examples(), setup.config(), nproc, threads, warmup, steps, checkpointing);
                torchRounds.add(r);
                System.err.printf("round %d: torch trainer, %d process%s: %.0f tokens/s, launch %.1f s%n", round + 1,
                        nproc, nproc == 1 ? "" : "es", r.tokensPerS(), r.launchS());
            }
            if (python != null) {
                JsonNode baseline = pythonRound(json, python, steps, warmup, threads);
                baselines.add(baseline);
                System.err.printf("round %d: python %.0f tokens/s%n", round + 1,
                        baseline.get("tokens_per_s").asDouble());
            }
        }
        ObjectNode out = json.createObjectNode();
        out.put("bench", "train");
        out.put("tokens_per_s", median(java));
        out.put("ms_per_step", 1000.0 * BATCH * SEQ / median(java));
        // Read at the last timed step, before the final checkpoint (which the baseline does not write).
        out.put("peak_rss_mb", trainingRss[0]);
        out.put("unit", "tokens/s (median of rounds), fp32, loss on every token");
        ArrayNode perRound = out.putArray("java_rounds");
        java.forEach(perRound::add);
        ObjectNode config = out.putObject("config");
        config.put("hidden", HIDDEN).put("layers", LAYERS).put("heads", HEADS).put("kv_heads", KV_HEADS)
                .put("intermediate", INTERMEDIATE).put("vocab", VOCAB).put("seq", SEQ).put("batch", BATCH)
                .put("steps", steps).put("warmup", warmup).put("threads", threads).put("rounds", rounds)
                .put("torch", Engine.getEngine("PyTorch").getVersion());
        if (!baselines.isEmpty()) {
            List<Double> ratios = new ArrayList<>();
            List<Double> base = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                double b = baselines.get(i).get("tokens_per_s").asDouble();
                base.add(b);
                ratios.add(java.get(i) / b);
            }
            ObjectNode baseline = out.putObject("baseline");
            baseline.put("impl", baselines.get(0).get("impl").asText());
            baseline.put("tokens_per_s", median(base));
            baseline.put("peak_rss_mb", baselines.stream().mapToDouble(b -> b.get("peak_rss_mb").asDouble()).max()
                    .orElseThrow());
            ArrayNode pairs = out.putArray("ratio_per_round");
            ratios.forEach(pairs::add);
            out.put("ratio_vs_baseline", median(ratios));
        }
        if (torch) {
            out.put("djl_wall_s", median(javaWall));
            out.set("torch", torchRounds.json(json, median(java), median(javaWall)));
            out.put("torch_python", trainerPython.toString());
            out.put("torch_gradient_checkpointing", checkpointing);
            deleteTree(startModel.getParent());
        }
        stdout.println(json.writeValueAsString(out));
    }

    /**
     * The benchmark's model, examples and hyper-parameters, the same for every trainer.
     *
     * @param examples random ids, every next token scored (the loss on every token, as model(ids, labels=ids))
     */
    record Setup(LlamaConfig model, List<ChatExample> examples, TrainSettings config) {
        static Setup of(int steps, int warmup) {
            ObjectNode raw = new ObjectMapper().createObjectNode();
            raw.putArray("architectures").add(LlamaConfig.LLAMA);
            raw.put("model_type", "llama");
            raw.put("vocab_size", VOCAB).put("hidden_size", HIDDEN).put("intermediate_size", INTERMEDIATE)
                    .put("num_hidden_layers", LAYERS).put("num_attention_heads", HEADS)
                    .put("num_key_value_heads", KV_HEADS).put("max_position_embeddings", SEQ)
                    .put("tie_word_embeddings", false);
            SplittableRandom random = new SplittableRandom(1);
            List<ChatExample> examples = new ArrayList<>();
            for (int i = 0; i < (steps + warmup) * BATCH; i++) {
                examples.add(new ChatExample(random.longs(SEQ, 0, VOCAB).toArray(), 1));
            }
            TrainSettings train = new TrainSettings(1e-4, 0.01, 0.9, 0.999, 1e-8, 1, BATCH, -1, steps + warmup,
                    1_000_000, 0, 1.0, 0, 0.1, SEQ, 1);
            return new Setup(LlamaConfig.from(new ModelConfig(raw)), examples, train);
        }

        LlamaModel initialModel() {
            return LlamaWeights.initialize(model, 0, Device.cpu());
        }

        /** The initial model as an HF directory (float32), for the PyTorch trainer; in a temp folder. */
        Path startModel() throws IOException {
            Path dir = Files.createTempDirectory("train-bench-model-").resolve("start");
            try (LlamaModel initial = initialModel()) {
                LlamaWeights.save(initial, dir, Dtype.F32, null);
            }
            return dir;
        }
    }

    /** Tokens per second of the timed steps of one training run in this JVM; {@code wall[0]}: the whole run, s. */
    static double javaRound(Setup setup, int steps, int warmup, double[] peakRss, double[] wall) throws IOException {
        Path checkpoints = Files.createTempDirectory("train-bench-");
        long[] timing = new long[2];
        long started = System.nanoTime();
        try (LlamaModel model = setup.initialModel()) {
            new Trainer(model, setup.examples(), 0, setup.config(), checkpoints, (m, loss) -> { }, r -> {
                if (r.step() == warmup) {
                    timing[0] = System.nanoTime();
                } else if (r.step() == warmup + steps) {
                    timing[1] = System.nanoTime();
                    peakRss[0] = Math.max(peakRss[0], peakRssMb());
                }
            }).run(() -> false);
        } finally {
            wall[0] = (System.nanoTime() - started) / 1e9;
            deleteTree(checkpoints);
        }
        return (double) steps * BATCH * SEQ / ((timing[1] - timing[0]) / 1e9);
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static JsonNode pythonRound(ObjectMapper json, String python, int steps, int warmup, int threads)
            throws IOException, InterruptedException {
        Path script = Path.of("bench", "train_baseline.py");
        List<String> command = List.of(python, script.toString(), "" + HIDDEN, "" + LAYERS, "" + HEADS, "" + KV_HEADS,
                "" + INTERMEDIATE, "" + VOCAB, "" + SEQ, "" + BATCH, "" + steps, "" + warmup, "" + threads);
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (process.waitFor() != 0 || output.isEmpty()) {
            throw new IllegalStateException("the baseline failed (" + String.join(" ", command) + "): does " + python
                    + " have torch and transformers?");
        }
        String[] lines = output.split("\n");
        return json.readTree(lines[lines.length - 1]);
    }

    static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            System.err.println("no /proc/self/status: " + e.getMessage());
        }
        return Double.NaN;
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
