package sn37.miner.competition;

/**
 * Epsilon that decays linearly from {@code start} to {@code end} over {@code decayBlocks} of the
 * incumbent model's age (taoverse model/competition/epsilon.py). The earlier-committed model's
 * score is multiplied by {@code 1 - epsilon} in each pairwise comparison.
 */
public record LinearDecay(double start, double end, long decayBlocks) {

    public LinearDecay {
        if (decayBlocks <= 0) {
            throw new IllegalArgumentException("decayBlocks must be > 0, got " + decayBlocks);
        }
        if (end > start) {
            throw new IllegalArgumentException(
                    "epsilon must decay: start " + start + " < end " + end);
        }
    }

    public double epsilon(long currentBlock, long modelBlock) {
        // taoverse clamps a negative age (metagraph divergence) to 0.
        long age = Math.max(currentBlock - modelBlock, 0);
        double progress = Math.min((double) age / decayBlocks, 1.0);
        return start - progress * (start - end);
    }
}
