package sn37.miner.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code miner_*} series on a Micrometer registry (the Prometheus one the management port scrapes). Micrometer's
 * Prometheus naming adds the units and {@code _total}: {@code miner.runs} is scraped as {@code miner_runs_total}.
 * Series with a fixed set of labels start at 0 (or NaN for a gauge with nothing measured yet); those labelled by
 * stage, trainer or task appear at their first report. README's "Metrics" section lists them all.
 */
public final class MeterMetrics implements MinerMetrics {
    /** Every series, as scraped; the README and the Grafana dashboard name only these. */
    public static final List<String> SERIES = List.of("miner_runs_total", "miner_stage_duration_seconds",
            "miner_train_loss", "miner_train_tokens_per_second", "miner_train_steps_total", "miner_train_tokens_total",
            "miner_eval_score", "miner_eval_task_score", "miner_gate_decisions_total", "miner_upload_bytes_total",
            "miner_upload_throughput_bytes_per_second", "miner_chain_commits_total", "miner_sweeper_retries_total",
            GpuMemory.USED, GpuMemory.TOTAL);

    private final MeterRegistry registry;
    private final Map<String, Gauged> gauges = new ConcurrentHashMap<>();
    /** Per run: the last step reported and its tokens so far, to count each step's tokens once. */
    private final Map<String, long[]> lastStep = new ConcurrentHashMap<>();
    private final Counter uploadBytes;
    private final Counter sweeperRetries;

    public MeterMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String outcome : List.of("succeeded", "rejected", "failed", "cancelled")) runs("pipeline", outcome);
        for (String decision : List.of("passed", "rejected")) gate(decision);
        for (String outcome : List.of("committed", "unchanged", "failed")) commits(outcome);
        uploadBytes = Counter.builder("miner.upload").baseUnit("bytes")
                .description("Bytes of model files committed to the Hub by upload stages").register(registry);
        sweeperRetries = Counter.builder("miner.sweeper.retries")
                .description("Runs the retry sweeper resumed after a transient upload or commit failure")
                .register(registry);
        gauge("miner.upload.throughput.bytes.per.second", "Bytes per second of the last upload stage, start to end");
    }

    @Override
    public void runFinished(String runId, String kind, String outcome) {
        lastStep.remove(runId);
        runs(kind, outcome).increment();
    }

    @Override
    public void stageFinished(String stage, String outcome, Duration took) {
        Timer.builder("miner.stage.duration").description("Wall time of stages that ran, by stage and outcome")
                .tags("stage", stage, "outcome", outcome).register(registry).record(took);
    }

    @Override
    public void trainStep(String runId, String trainer, int step, double loss, double tokensPerSecond,
            long tokensSoFar) {
        gauge("miner.train.loss", "Mean micro-batch loss of the last optimizer step", "trainer", trainer).set(loss);
        gauge("miner.train.tokens.per.second", "Real tokens trained per second in the current training session",
                "trainer", trainer).set(tokensPerSecond);
        Counter.builder("miner.train.steps").description("Optimizer steps taken").tag("trainer", trainer)
                .register(registry).increment();
        long[] last = lastStep.put(runId, new long[] {step, tokensSoFar});
        // the first step after a resume has no known baseline: its tokens are not counted
        long tokens = last != null && step == last[0] + 1 ? tokensSoFar - last[1] : step == 1 ? tokensSoFar : 0;
        Counter.builder("miner.train.tokens").description("Real (non-padding) tokens trained")
                .tag("trainer", trainer).register(registry).increment(Math.max(0, tokens));
    }

    @Override
    public void taskScored(String task, double score) {
        gauge("miner.eval.task.score", "The trained model's raw score on an eval task of the last evaluation"
                + " (lower is better)", "task", task).set(score);
    }

    @Override
    public void evaluated(double score) {
        gauge("miner.eval.score", "The trained model's composite score of the last evaluation (lower is better)")
                .set(score);
    }

    @Override
    public void gateDecided(boolean passed) {
        gate(passed ? "passed" : "rejected").increment();
    }

    @Override
    public void uploaded(long bytes, Duration took) {
        uploadBytes.increment(bytes);
        double seconds = took.toNanos() / 1e9;
        if (seconds > 0) gauges.get("miner.upload.throughput.bytes.per.second").set(bytes / seconds);
    }

    @Override
    public void chainCommit(String outcome) {
        commits(outcome).increment();
    }

    @Override
    public void sweeperRetry() {
        sweeperRetries.increment();
    }

    private Counter runs(String kind, String outcome) {
        return Counter.builder("miner.runs").description("Runs that ended, by kind (pipeline or one stage) and outcome")
                .tags("kind", kind, "outcome", outcome).register(registry);
    }

    private Counter gate(String decision) {
        return Counter.builder("miner.gate.decisions").description("Gate decisions on trained models")
                .tag("decision", decision).register(registry);
    }

    private Counter commits(String outcome) {
        return Counter.builder("miner.chain.commits")
                .description("Commit stages by outcome: committed, unchanged (already on chain) or failed")
                .tag("outcome", outcome).register(registry);
    }

    private Gauged gauge(String name, String help, String... tags) {
        return gauges.computeIfAbsent(name + String.join("\0", tags), k -> {
            Gauged g = new Gauged();
            Gauge.builder(name, g, Gauged::get).description(help).tags(tags).strongReference(true).register(registry);
            return g;
        });
    }

    /** A gauge's last value; NaN until the first. */
    private static final class Gauged {
        private final AtomicLong bits = new AtomicLong(Double.doubleToLongBits(Double.NaN));

        void set(double v) {
            bits.set(Double.doubleToLongBits(v));
        }

        double get() {
            return Double.longBitsToDouble(bits.get());
        }
    }
}
