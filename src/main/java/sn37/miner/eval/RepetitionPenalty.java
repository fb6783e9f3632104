package sn37.miner.eval;

/**
 * transformers' {@code RepetitionPenaltyLogitsProcessor}: for every token id present in the sequence so far,
 * prompt included, a negative score is multiplied by the penalty and any other divided by it
 * ({@code torch.where(score < 0, score * penalty, score / penalty)}).
 *
 * <p>The arithmetic is float32 as validators run it on CUDA with torch 2.3.1: {@code score * penalty} multiplies
 * by {@code (float) penalty}, and {@code score / penalty} with a Python-float divisor takes the CPU-scalar path of
 * {@code div_true_kernel_cuda}, which multiplies by the reciprocal {@code 1.0f / (float) penalty}
 * (aten/src/ATen/native/cuda/BinaryDivTrueKernel.cu, "may lose one bit of precision"). For 1.1 that reciprocal
 * is 0.90909088f, one ulp below {@code (float) (1 / 1.1)}.
 */
public final class RepetitionPenalty {

    private RepetitionPenalty() {}

    /** Applies the penalty in place to the scores of {@code presentIds} (each id once, in any order). */
    public static void apply(float[] scores, int[] presentIds, int count, float penalty) {
        if (penalty == 1.0f) return;
        float reciprocal = 1.0f / penalty;
        for (int i = 0; i < count; i++) {
            int id = presentIds[i];
            float s = scores[id];
            scores[id] = s < 0 ? s * penalty : s * reciprocal;
        }
    }

    /** {@link #apply} for a whole array of ids. */
    public static void apply(float[] scores, int[] presentIds, float penalty) {
        apply(scores, presentIds, presentIds.length, penalty);
    }
}
