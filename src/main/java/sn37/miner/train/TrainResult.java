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
 */
public record TrainResult(int steps, List<Double> epochLosses, List<Double> stepLosses, Double bestLoss, long tokens,
        double seconds, double tokensPerSecond, String stoppedBy, Integer resumedFromStep, Path lastCheckpoint) {

    public static final String COMPLETED = "completed";
    public static final String MAX_STEPS = "max_steps";
    public static final String STOP_REQUESTED = "stop_requested";

    public TrainResult {
        epochLosses = List.copyOf(epochLosses);
        stepLosses = List.copyOf(stepLosses);
    }
}
