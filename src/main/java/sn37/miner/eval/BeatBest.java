package sn37.miner.eval;

import sn37.miner.competition.ModelConstraints;

/**
 * Whether our model would beat the incumbent in validators' pairwise comparison ({@code _is_win},
 * finetune/validation.py @726fb931): the earlier-committed model's score is multiplied by {@code 1 − ε}, so ours,
 * committed later, wins only if {@code ours < incumbent × (1 − ε)}, strictly. Validators first score ours
 * {@code eval_block_delay} blocks after our commit, which is about now, so ε is taken at
 * {@code now + eval_block_delay} for the incumbent's age ({@code LinearDecay}).
 */
public final class BeatBest {

    /** The decision and the numbers it was made on. */
    public record Decision(
            double ours, double incumbent, double epsilon, long scoredAtBlock, double threshold, boolean passed,
            String reason) {}

    private BeatBest() {}

    public static Decision decide(double ours, double incumbent, ModelConstraints constraints, long currentBlock,
            long incumbentBlock) {
        if (currentBlock < 0 || incumbentBlock < 0) {
            throw new IllegalArgumentException("blocks must be >= 0 (current " + currentBlock + ", incumbent "
                    + incumbentBlock + ")");
        }
        long scoredAt = currentBlock + constraints.evalBlockDelay();
        double epsilon = constraints.epsilon().epsilon(scoredAt, incumbentBlock);
        double threshold = incumbent * (1 - epsilon);
        String numbers = "ours " + ours + ", incumbent " + incumbent + " × (1 − ε " + epsilon + " at block " + scoredAt
                + ") = " + threshold;
        if (Double.isNaN(ours) || Double.isNaN(incumbent)) {
            return new Decision(ours, incumbent, epsilon, scoredAt, threshold, false,
                    "a score is NaN, so the comparison is not usable: " + numbers);
        }
        if (Double.isInfinite(ours)) {
            return new Decision(ours, incumbent, epsilon, scoredAt, threshold, false,
                    "our model could not be evaluated (score ∞)");
        }
        boolean passed = ours < threshold;
        return new Decision(ours, incumbent, epsilon, scoredAt, threshold, passed,
                (passed ? "beats the incumbent: " : "does not beat the incumbent by ε: ") + numbers);
    }
}
