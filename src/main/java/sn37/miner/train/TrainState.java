package sn37.miner.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a run stands after an optimizer step: everything besides the weights and the optimizer's
 * moments that resuming needs to continue exactly as if it had not stopped. Examples are visited
 * in an order fixed by {@code seed} and the epoch, so the seed and the data cursor
 * ({@code epoch}, {@code microBatch}) are the whole RNG state.
 *
 * @param step optimizer steps done
 * @param epoch current epoch, 0-based
 * @param microBatch the next micro-batch of this epoch
 * @param epochLossSum sum of the micro-batch losses of this epoch so far
 * @param epochMicroBatches how many micro-batches that sum covers
 * @param epochLosses mean loss of each finished epoch
 * @param bestLoss the lowest epoch loss so far (the saved best model's), or null
 * @param stepLosses mean micro-batch loss of every optimizer step
 * @param tokens real tokens trained on
 * @param fingerprint the model's architecture settings and the data; resuming needs the same
 */
public record TrainState(
        int step,
        int epoch,
        int microBatch,
        long seed,
        double epochLossSum,
        int epochMicroBatches,
        List<Double> epochLosses,
        Double bestLoss,
        List<Double> stepLosses,
        long tokens,
        String fingerprint) {

    public TrainState {
        epochLosses = List.copyOf(epochLosses);
        stepLosses = List.copyOf(stepLosses);
    }

    static TrainState start(long seed, String fingerprint) {
        return new TrainState(0, 0, 0, seed, 0, 0, List.of(), null, List.of(), 0, fingerprint);
    }

    TrainState afterStep(int microBatches, double lossSum, long stepTokens) {
        List<Double> losses = new ArrayList<>(stepLosses);
        losses.add(lossSum / microBatches);
        return new TrainState(step + 1, epoch, microBatch + microBatches, seed, epochLossSum + lossSum,
                epochMicroBatches + microBatches, epochLosses, bestLoss, losses, tokens + stepTokens, fingerprint);
    }

    /** Closes the current (possibly partial) epoch: its mean loss joins the list, and the best if lower. */
    TrainState endEpoch(boolean nextEpoch) {
        List<Double> losses = new ArrayList<>(epochLosses);
        double mean = epochLossSum / epochMicroBatches;
        losses.add(mean);
        Double best = bestLoss == null || mean < bestLoss ? mean : bestLoss;
        return new TrainState(step, nextEpoch ? epoch + 1 : epoch, nextEpoch ? 0 : microBatch, seed, 0, 0, losses,
                best, stepLosses, tokens, fingerprint);
    }

    /** The loss of the epoch just ended, if {@link #endEpoch} made it the best. */
    boolean lastEpochIsBest() {
        return !epochLosses.isEmpty() && bestLoss != null && bestLoss.equals(epochLosses.get(epochLosses.size() - 1));
    }
}
