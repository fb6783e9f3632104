package sn37.miner.metrics;

import java.time.Duration;

/**
 * What the miner tells its metrics: the pipeline reports runs and stages, the train stage every optimizer step, and
 * the outputs of evaluate, gate, upload and commit their figures. Plain Java, so stages report without knowing
 * Micrometer; {@link MeterMetrics} turns the reports into the {@code miner_*} Prometheus series. Implementations
 * never throw: a metric is never the reason a run fails.
 */
public interface MinerMetrics {
    MinerMetrics NONE = new MinerMetrics() {};

    /** A run ended; {@code outcome} is its final status in lower case (succeeded, rejected, failed, cancelled). */
    default void runFinished(String runId, String kind, String outcome) {}

    /** A stage ran to an end in this process; {@code outcome}: succeeded, failed or cancelled. */
    default void stageFinished(String stage, String outcome, Duration took) {}

    /**
     * One optimizer step of {@code trainer} (djl, torch) in run {@code runId}.
     *
     * @param tokensSoFar real tokens trained in this run so far, as the step report gives them
     */
    default void trainStep(String runId, String trainer, int step, double loss, double tokensPerSecond,
            long tokensSoFar) {}

    /** The trained model's score on one eval task (the task's raw score, lower is better). */
    default void taskScored(String task, double score) {}

    /** The trained model's composite score (lower is better). */
    default void evaluated(double score) {}

    default void gateDecided(boolean passed) {}

    /** An upload committed {@code bytes} of model files in {@code took}. */
    default void uploaded(long bytes, Duration took) {}

    /** A commit stage ended: {@code committed}, {@code unchanged} (the chain held it already) or {@code failed}. */
    default void chainCommit(String outcome) {}

    /** The retry sweeper resumed a run. */
    default void sweeperRetry() {}
}
