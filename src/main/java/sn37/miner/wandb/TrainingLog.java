package sn37.miner.wandb;

import java.util.Map;

/**
 * Where training metrics go while a run trains: the loss per optimizer step, the eval score at the end. An
 * implementation never throws from these methods and never slows training down noticeably: a remote that fails is
 * reported once and then ignored.
 */
public interface TrainingLog {

    /**
     * Metrics of one step, e.g. {@code step(12, Map.of("loss", 2.31, "n_batches", 384.0))}. Metrics given for the
     * same step are merged into one row; a step lower than one already logged is ignored.
     */
    void step(long step, Map<String, Double> metrics);

    /** Sends what is pending and marks the run finished; later calls do nothing. */
    void finish();

    /** Logs nothing: offline runs, or no {@code --wandb_entity}/{@code --wandb_project}. */
    static TrainingLog noop() {
        return NoTrainingLog.INSTANCE;
    }
}
