package sn37.miner.train;

import java.nio.file.Path;
import java.util.List;

/**
 * What a training session did.
 *
 * @param steps optimizer steps done in total (this session and any it resumed)
 * @param epochLosses mean micro-batch loss of each epoch, the last one partial when stopped early
 * @param stepLosses mean micro-batch loss of every optimizer step
 * @param bestLoss the lowest epoch loss: the saved best model's
 * @param tokens real tokens trained on, in total
 * @param tokensPerSecond tokens of this session per second of this session
 * @param stoppedBy {@link #COMPLETED}, {@link #MAX_STEPS} or {@link #STOP_REQUESTED}
 * @param resumedFromStep the checkpoint's step this session started from, or null
 * @param lastCheckpoint the checkpoint written last
 * @param plannedSteps optimizer steps the run was to take in all, 0 when it trains until stopped
 * @param start where this session started: the checkpoint it resumed from (and any newer one it had
 *     to skip as damaged), or "No checkpoint: starting at step 0"
 */
public record TrainResult(int steps, List<Double> epochLosses, List<Double> stepLosses, Double bestLoss, long tokens,
        double seconds, double tokensPerSecond, String stoppedBy, Integer resumedFromStep, Path lastCheckpoint, int plannedSteps,
        String start) {

    public static final String COMPLETED = "completed";
    public static final String MAX_STEPS = "max_steps";
    public static final String STOP_REQUESTED = "stop_requested";

    /** A stop request ended a run that had a planned length before it got there: resuming it continues it. */
    public boolean stoppedEarly() {
        return stoppedBy.equals(STOP_REQUESTED) && plannedSteps > 0 && steps < plannedSteps;
    }

    public TrainResult {
        epochLosses = List.copyOf(epochLosses);
        stepLosses = List.copyOf(stepLosses);
    }
}
