package sn37.miner.wandb;

import java.util.Map;

/** The {@link TrainingLog} that logs nothing. */
final class NoTrainingLog implements TrainingLog {
    static final NoTrainingLog INSTANCE = new NoTrainingLog();

    private NoTrainingLog() {}

    @Override
    public void step(long step, Map<String, Double> metrics) {
        // nothing to log to
    }

    @Override
    public void finish() {
        // nothing to finish
    }

    @Override
    public String toString() {
        return "TrainingLog.noop()";
    }
}
