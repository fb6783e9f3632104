package sn37.miner.train;

/**
 * One optimizer step, as the listener sees it.
 *
 * @param loss mean micro-batch loss of the step (unscaled by accumulation)
 * @param gradNorm global gradient norm before clipping
 * @param tokensPerSecond real tokens trained per second since this session started
 */
public record StepReport(int step, int totalSteps, int epoch, double loss, double lr, double gradNorm, long tokens,
        double tokensPerSecond) {

    /** Receives every optimizer step; throwing stops training without a final checkpoint. */
    public interface Listener {
        void onStep(StepReport report);
    }
}
