package sn37.miner.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import sn37.miner.launch.JobHandle;
import sn37.miner.launch.JobRequest;
import sn37.miner.launch.JobState;
import sn37.miner.launch.local.LocalTorchrun;
import sn37.miner.train.ChatExample;
import sn37.miner.train.TrainSettings;
import sn37.miner.train.torch.JobDir;
import sn37.miner.train.torch.JobSpec;
import sn37.miner.train.torch.ProgressTail;
import sn37.miner.train.torch.TorchResult;

/**
 * One run of the project's PyTorch trainer (trainer/train.py) as {@code --trainer torch} starts it: a job written
 * by {@link JobSpec} (FSDP2, activation checkpointing, float32 on CPU), started by the local launcher
 * ({@code torchrun --nproc_per_node N}), watched through its progress events. Memory is the torchrun process tree's,
 * sampled from /proc while it runs: summed RSS (which counts the shared torch libraries once per process) and summed
 * PSS (which shares them out).
 */
final class TorchTrainerRound {
    private static final long SAMPLE_MS = 100;

    /**
     * @param tokensPerS tokens per second over the timed steps (after the warm-up), from the trainer's step events
     * @param launchS from the submit to the trainer's start event: imports, process group, model load, FSDP wrap
     * @param firstStepS from the submit to the first step's event
     * @param wallS from the submit to the job's end, final weights written
     * @param peakRssMb the largest sum of VmRSS over torchrun and its workers
     * @param peakPssMb the largest sum of Pss over the same processes
     * @param rankPeakRssMb the trainer's own peak_memory_bytes: the largest rank's peak RSS
     */
    record Result(int nproc, double tokensPerS, double launchS, double firstStepS, double wallS, double peakRssMb,
            double peakPssMb, double rankPeakRssMb, double lastLoss) {}

    /** The results of every round, reported per process count against the DJL trainer's medians. */
    static final class Rounds {
        private final Map<Integer, List<Result>> byNproc = new LinkedHashMap<>();

        void add(Result r) {
            byNproc.computeIfAbsent(r.nproc(), n -> new ArrayList<>()).add(r);
        }

        /**
         * Per process count: medians of the rounds (maxima for memory), the ratio to the DJL trainer's tokens/s, and
         * {@code excess_s}: how much longer the job ran than the DJL trainer's whole run once its launch cost is
         * taken off; at most 0 is the goal (not slower than DJL by more than the launch cost).
         */
        ArrayNode json(ObjectMapper mapper, double djlTokensPerS, double djlWallS) {
            ArrayNode out = mapper.createArrayNode();
            byNproc.forEach((nproc, results) -> {
                double tokensPerS = TrainBench.median(results.stream().map(Result::tokensPerS).toList());
                double launchS = TrainBench.median(results.stream().map(Result::launchS).toList());
                double wallS = TrainBench.median(results.stream().map(Result::wallS).toList());
                ObjectNode r = out.addObject().put("nproc", nproc).put("tokens_per_s", tokensPerS)
                        .put("ratio_vs_djl", tokensPerS / djlTokensPerS).put("launch_s", launchS)
                        .put("first_step_s", TrainBench.median(results.stream().map(Result::firstStepS).toList()))
                        .put("wall_s", wallS).put("excess_s", wallS - launchS - djlWallS)
                        .put("within_launch_cost", wallS - launchS <= djlWallS);
                r.put("peak_rss_mb", results.stream().mapToDouble(Result::peakRssMb).max().orElseThrow())
                        .put("peak_pss_mb", results.stream().mapToDouble(Result::peakPssMb).max().orElseThrow())
                        .put("rank_peak_rss_mb", results.stream().mapToDouble(Result::rankPeakRssMb).max().orElseThrow())
                        .put("last_loss", results.get(0).lastLoss());
                ArrayNode perRound = r.putArray("rounds_tokens_per_s");
                results.forEach(x -> perRound.add(x.tokensPerS()));
            });
            return out;
        }
    }

    private TorchTrainerRound() {
    }

    /** The trainer's Python as the miner finds it (trainer/.venv), else the tests' environment (target/trainer-venv). */
    static Path defaultPython() {
        Path venv = Path.of("trainer/.venv/bin/python").toAbsolutePath();
        Path tests = Path.of("target/trainer-venv/bin/python").toAbsolutePath();
        if (Files.isExecutable(venv)) return venv;
        if (Files.isExecutable(tests)) return tests;
        throw new IllegalStateException("no trainer Python at " + venv + " or " + tests + ": run trainer/setup-venv"
                + " trainer/.venv, or pass --trainer-python PY");
    }

    /**
     * @param startModel the HF directory both trainers start from
     * @param threads intra-op threads in all: each of the {@code nproc} processes gets threads / nproc
     * @param checkpointing activation checkpointing, which JobSpec always asks for; false measures the trainer
     *     without its recompute
     */
    static Result run(Path python, Path trainerDir, Path startModel, List<ChatExample> examples, TrainSettings config,
            int nproc, int threads, int warmup, int steps, boolean checkpointing)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("train-bench-torch-");
        boolean keep = false;
        try {
            JobDir job = new JobDir(dir);
            new JobSpec(startModel, 0, config, 0, 0, "float32").write(job, examples);
            if (!checkpointing) {
                // What the trainer does when activations fit: a bench-only edit of what JobSpec always asks for.
                ObjectNode spec = (ObjectNode) new ObjectMapper().readTree(job.job().toFile());
                spec.put("gradient_checkpointing", false);
                Files.writeString(job.job(), spec.toString());
            }
            Map<String, String> environment = new LinkedHashMap<>();
            environment.put("OMP_NUM_THREADS", Integer.toString(Math.max(1, threads / nproc)));
            environment.put("CUDA_VISIBLE_DEVICES", "");
            environment.put("HF_HUB_OFFLINE", "1");
            environment.put("PYTHONUNBUFFERED", "1");
            LocalTorchrun launcher = new LocalTorchrun(dir);
            double submitted = System.currentTimeMillis() / 1000.0;
            JobHandle handle = launcher.submit(new JobRequest("train-bench-" + nproc, dir, python,
                    List.of(trainerDir.resolve("train.py").toString(), "--job", job.job().toString()), 1, nproc,
                    environment, job.log()));
            long pid = Long.parseLong(handle.id().substring(0, handle.id().indexOf(':')));
            double[] peak = new double[2];
            JobState state;
            while (!(state = launcher.state(handle)).phase().ended()) {
                double[] now = treeMemoryMb(pid);
                peak[0] = Math.max(peak[0], now[0]);
                peak[1] = Math.max(peak[1], now[1]);
                Thread.sleep(SAMPLE_MS);
            }
            double ended = System.currentTimeMillis() / 1000.0;
            if (state.phase() != JobState.Phase.SUCCEEDED || !Files.isRegularFile(job.result())) {
                keep = true;
                throw new IllegalStateException("the torch trainer job failed (" + state + "); its folder is kept: "
                        + dir + "\n" + tail(job.log()));
            }
            List<JsonNode> events = new ProgressTail(job.progress(), 0).read();
            JsonNode start = events.stream().filter(e -> e.path("event").asText().equals("start")).findFirst()
                    .orElseThrow();
            List<JsonNode> stepEvents = events.stream().filter(e -> e.path("event").asText().equals("step")).toList();
            // timed: the steps after the warm-up, from the end of the last warm-up step (or the start event)
            JsonNode before = warmup > 0 ? stepEvents.get(warmup - 1) : start;
            JsonNode last = stepEvents.get(warmup + steps - 1);
            double tokensPerS = (last.path("tokens").asDouble() - before.path("tokens").asDouble(0))
                    / (last.path("time").asDouble() - before.path("time").asDouble());
            TorchResult result = TorchResult.read(job.result());
            return new Result(nproc, tokensPerS, start.path("time").asDouble() - submitted,
                    stepEvents.get(0).path("time").asDouble() - submitted, ended - submitted, peak[0], peak[1],
                    result.peakMemoryBytes() == null ? Double.NaN : result.peakMemoryBytes() / (1024.0 * 1024.0),
                    result.lastLoss() == null ? Double.NaN : result.lastLoss());
        } finally {
            if (!keep) deleteTree(dir);
        }
    }

    /** Summed VmRSS and Pss (MiB) of {@code pid} and its descendants now; a process that just ended counts 0. */
    static double[] treeMemoryMb(long pid) {
        List<Long> pids = new ArrayList<>();
        ProcessHandle.of(pid).ifPresent(root -> {
            pids.add(root.pid());
            root.descendants().forEach(d -> pids.add(d.pid()));
        });
        double rss = 0;
        double pss = 0;
        for (long p : pids) {
            rss += kb(Path.of("/proc", Long.toString(p), "status"), "VmRSS:");
            pss += kb(Path.of("/proc", Long.toString(p), "smaps_rollup"), "Pss:");
        }
        return new double[] {rss / 1024, pss / 1024};
    }

    private static long kb(Path file, String key) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(l -> l.startsWith(key)).findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).orElse(0L);
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
