package sn37.miner.eval.torch;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.util.Json;
import sn37.miner.config.Settings;
import sn37.miner.eval.EvalDtype;
import sn37.miner.eval.LossBackend;
import sn37.miner.eval.ReferenceLoss;

/**
 * The loss tasks computed by transformers in bfloat16, as validators compute them: one child process per task,
 * {@code python trainer/evaluate.py --job <jobRoot>/<task>/eval-job.json} (the format is in that script's
 * docstring), in the PyTorch trainer's environment. The ids come from this JVM, so they are the ones the DJL backend
 * would score. The process's output goes to {@code evaluate.log} beside the job; its result is read strictly. A
 * process that cannot start, fails or writes no well-formed result is a {@link TorchEvalException} naming the job
 * and the log, never a score; a task the model itself fails on (a sample raised, the sanity check failed) is +∞, as
 * validators score it.
 */
public final class TorchLosses implements LossBackend {
    private static final Logger LOG = LoggerFactory.getLogger(TorchLosses.class);
    static final String SCRIPT = "evaluate.py";
    static final String JOB = "eval-job.json";
    static final String LOG_FILE = "evaluate.log";
    static final String RESULT = "result.json";
    static final String PROGRESS = "progress.jsonl";
    private static final long POLL_MILLIS = 200;

    /**
     * Where the evaluator runs and what it scores.
     *
     * @param python the trainer environment's Python ({@code train.torch.python})
     * @param trainerDir the folder holding {@value #SCRIPT} ({@code train.torch.trainer-dir})
     * @param jobRoot each task's job goes into a folder of this one named for the task
     * @param modelDir the Hugging Face model folder scored
     * @param device auto (cuda when torch sees one), cpu, cuda or cuda:N
     * @param logits {@link EvalDtype#BFLOAT16}: the logits stay bf16 (transformers ≥ 4.46);
     *     {@link EvalDtype#FLOAT32}: upcast first (transformers 4.44.1); the model computes in bf16 either way
     */
    public record Job(Path python, Path trainerDir, Path jobRoot, Path modelDir, String device, EvalDtype logits) {
        public Job {
            if (!device.equals("auto") && !device.equals("cpu") && !device.matches("cuda(:\\d{1,2})?")) {
                throw new IllegalArgumentException("device must be auto, cpu, cuda or cuda:N, got " + device);
            }
        }
    }

    private final Job job;
    private final BooleanSupplier cancelled;

    public TorchLosses(Job job, BooleanSupplier cancelled) {
        this.job = job;
        this.cancelled = cancelled;
    }

    @Override
    public String name() {
        return "torch";
    }

    @Override
    public double referenceLoss(String task, List<ReferenceLoss.Sample> samples, IntConsumer scored) {
        if (samples.isEmpty()) return Double.POSITIVE_INFINITY;
        return score(task, "reference_loss", null, samples.size(), out -> {
            for (ReferenceLoss.Sample s : samples) {
                out.write("{\"ids\":[");
                ids(out, s.context(), false);
                ids(out, s.reference(), s.context().length > 0);
                out.write("],\"reference_length\":" + s.reference().length + "}\n");
            }
        }, scored);
    }

    @Override
    public double textLoss(String task, List<int[]> texts, int eosTokenId, IntConsumer scored) {
        return score(task, "text_loss", eosTokenId, texts.size(), out -> {
            for (int[] text : texts) {
                out.write("{\"ids\":[");
                ids(out, text, false);
                out.write("]}\n");
            }
        }, scored);
    }

    private interface SampleWriter {
        void write(BufferedWriter out) throws IOException;
    }

    private static void ids(BufferedWriter out, int[] ids, boolean comma) throws IOException {
        for (int i = 0; i < ids.length; i++) {
            if (comma || i > 0) out.write(',');
            out.write(Integer.toString(ids[i]));
        }
    }

    private double score(String task, String method, Integer padId, int count, SampleWriter samples,
            IntConsumer scored) {
        Path dir = job.jobRoot().toAbsolutePath().resolve(task.replaceAll("[^\\w.-]", "_"));
        Path log = dir.resolve(LOG_FILE);
        String what = "the PyTorch evaluation job " + dir.resolve(JOB) + " (task " + task + ")";
        Result result;
        try {
            write(dir, task, method, padId, samples);
            int exit = run(what, dir, log, count, scored);
            if (exit != 0) {
                throw new TorchEvalException(what + " failed with exit code " + exit + errorLine(log) + "; see "
                        + log);
            }
            result = read(what, dir.resolve(RESULT), log);
        } catch (IOException e) {
            throw new TorchEvalException(what + ": " + e.getMessage() + "; see " + log, e);
        }
        try {
            result.check(what + " wrote " + dir.resolve(RESULT) + " that", task, method, count, job.logits());
        } catch (TorchEvalException e) {
            throw new TorchEvalException(e.getMessage() + "; see " + log);
        }
        LOG.info("{}: scored by torch {} / transformers {} on {} ({} model, {} logits, {} attention)", task,
                result.torch, result.transformers, result.device, result.modelDtype, result.logitsDtype,
                result.attnImplementation);
        scored.accept(count);
        if (result.loss == null) {
            LOG.warn("{}: {}; scored +inf, as validators score it (see {})", task, result.failure, log);
            return Double.POSITIVE_INFINITY;
        }
        return result.loss;
    }

    private void write(Path dir, String task, String method, Integer padId, SampleWriter samples) throws IOException {
        Files.createDirectories(dir);
        // a log of an earlier attempt goes too: its error line must not be taken for this one's
        for (String stale : List.of(RESULT, PROGRESS, LOG_FILE)) Files.deleteIfExists(dir.resolve(stale));
        Path samplesFile = dir.resolve("samples.jsonl");
        try (BufferedWriter out = Files.newBufferedWriter(samplesFile, StandardCharsets.UTF_8)) {
            samples.write(out);
        }
        ObjectNode spec = Json.mapper().createObjectNode().put("format", 1)
                .put("model_dir", job.modelDir().toAbsolutePath().toString()).put("model_dtype", "bfloat16")
                .put("logits_dtype", job.logits().flagValue()).put("device", job.device()).put("task", task)
                .put("method", method);
        if (padId == null) spec.putNull("pad_id");
        else spec.put("pad_id", padId.intValue());
        spec.put("samples", samplesFile.getFileName().toString()).put("progress", PROGRESS).put("result", RESULT);
        Path tmp = dir.resolve(JOB + ".tmp");
        Files.writeString(tmp, Json.mapper().writeValueAsString(spec), StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(JOB), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** What is missing for this machine to start the evaluator, in one line saying how to make it; empty if nothing. */
    public static Optional<String> environmentProblem(Path python, Path trainerDir) {
        if (!Files.isExecutable(python)) {
            Path venv = python.getParent() != null && python.getParent().getParent() != null
                    ? python.getParent().getParent() : python;
            return Optional.of("the PyTorch trainer's Python environment is missing at " + python
                    + ": run trainer/setup-venv " + venv + " (or set train.torch.python to one)");
        }
        Path script = trainerDir.resolve(SCRIPT).toAbsolutePath();
        if (!Files.isRegularFile(script)) {
            return Optional.of(script + " is missing: set train.torch.trainer-dir to the miner's trainer folder");
        }
        return Optional.empty();
    }

    /** Runs the evaluator to its end, passing its progress on; a cancel stops it and throws. */
    private int run(String what, Path dir, Path log, int count, IntConsumer scored) throws IOException {
        Optional<String> problem = environmentProblem(job.python(), job.trainerDir());
        if (problem.isPresent()) throw new TorchEvalException(what + " cannot start: " + problem.get());
        Path script = job.trainerDir().resolve(SCRIPT).toAbsolutePath();
        // absolute: a relative path would be resolved against the job folder, the child's working directory
        ProcessBuilder builder = new ProcessBuilder(job.python().toAbsolutePath().toString(), script.toString(),
                "--job", dir.resolve(JOB).toString()).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // The evaluator needs no secret and reaches no remote: the model is a local folder.
        builder.environment().keySet().removeIf(v -> Settings.isSecretKey(v)
                || v.toUpperCase(Locale.ROOT).contains("JWT"));
        builder.environment().put("HF_HUB_OFFLINE", "1");
        builder.environment().put("TRANSFORMERS_OFFLINE", "1");
        Process process = builder.start();
        LOG.info("started {} as process {}; its output goes to {}", what, process.pid(), log);
        int reported = 0;
        try {
            while (!process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (cancelled.getAsBoolean()) {
                    stop(process);
                    throw new CancellationException("evaluation cancelled on request while " + what + " ran");
                }
                reported = progress(dir, count, reported, scored);
            }
        } catch (InterruptedException e) {
            stop(process);
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while " + what + " ran");
        }
        progress(dir, count, reported, scored);
        return process.exitValue();
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Passes on the samples done since the last call, from the newest line of progress.jsonl. */
    private static int progress(Path dir, int count, int reported, IntConsumer scored) {
        Path file = dir.resolve(PROGRESS);
        try {
            if (!Files.isRegularFile(file)) return reported;
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                try {
                    int done = Json.mapper().readTree(lines.get(i)).path("done").asInt(-1);
                    if (done > reported && done <= count) {
                        scored.accept(done);
                        return done;
                    }
                    return reported;
                } catch (IOException torn) {
                    // the line being written: the one before it holds
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // progress is for show; the result decides
        }
        return reported;
    }

    /** The evaluator's own "error:" line (it names what failed, never an input's content), if it wrote one. */
    private static String errorLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).startsWith("error: ")) return " (" + lines.get(i) + ")";
            }
        } catch (IOException | UncheckedIOException e) {
            // the log is named in the message anyway
        }
        return "";
    }

    private static Result read(String what, Path file, Path log) {
        if (!Files.isRegularFile(file)) {
            throw new TorchEvalException(what + " ended without writing " + file + "; see " + log);
        }
        try {
            return Json.strictReader(Result.class).readValue(file.toFile());
        } catch (IOException e) {
            throw new TorchEvalException(what + " wrote " + file + " that is not the evaluator's result JSON ("
                    + e.getClass().getSimpleName() + "); see " + log, e);
        }
    }

    /** result.json as trainer/sn37_trainer/evaluate.py writes it; every field is required. */
    record Result(
            @JsonProperty("format") Integer format,
            @JsonProperty("task") String task,
            @JsonProperty("method") String method,
            @JsonProperty("samples") Integer samples,
            @JsonProperty("loss") Double loss,
            @JsonProperty("failure") String failure,
            @JsonProperty("device") String device,
            @JsonProperty("model_dtype") String modelDtype,
            @JsonProperty("logits_dtype") String logitsDtype,
            @JsonProperty("attn_implementation") String attnImplementation,
            @JsonProperty("torch") String torch,
            @JsonProperty("transformers") String transformers) {

        void check(String what, String task, String method, int count, EvalDtype logits) {
            require(format != null && format == 1, what, "format", "1");
            require(task.equals(this.task), what, "task", "the job's task");
            require(method.equals(this.method), what, "method", "the job's method");
            require(samples != null && samples == count, what, "samples", "the " + count + " samples sent");
            require(loss == null ? failure != null && !failure.isBlank() : failure == null, what, "loss/failure",
                    "a loss and a null failure, or a null loss and the failure's reason");
            require(loss == null || (Double.isFinite(loss) && loss >= 0), what, "loss", "a finite number >= 0");
            require(device != null && !device.isBlank(), what, "device", "the device used");
            require("bfloat16".equals(modelDtype), what, "model_dtype", "bfloat16");
            require(logits.flagValue().equals(logitsDtype), what, "logits_dtype", "the job's " + logits.flagValue());
            for (String[] f : new String[][] {{"attn_implementation", attnImplementation}, {"torch", torch},
                    {"transformers", transformers}}) {
                require(f[1] != null && !f[1].isBlank(), what, f[0], "a name");
            }
        }

        private static void require(boolean ok, String what, String field, String expected) {
            if (!ok) throw new TorchEvalException(what + " is malformed: '" + field + "' must be " + expected);
        }
    }
}
