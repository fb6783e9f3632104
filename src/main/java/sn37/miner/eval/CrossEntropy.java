package sn37.miner.eval;

/**
 * The mean of {@code torch.nn.CrossEntropyLoss()} over positions, accumulated one position at a time (so a long
 * sequence's logits never need to be held at once).
 *
 * <p>Float32 (transformers 4.44.1): each position's −log softmax(target), computed with a max-shifted sum in double;
 * the mean in double. Bfloat16 (transformers ≥ 4.46 on a bf16 model), after CUDA's kernels: the logits are bf16;
 * {@code log_softmax} accumulates max and sum in float and writes {@code bf16(x - max - log(sum))};
 * {@code nll_loss} sums those in float and writes {@code bf16(sum / count)}. Summation order differs from the
 * GPU's parallel reduction, which moves the float sums by a few ulps, far below bf16's resolution.
 */
public final class CrossEntropy {

    private final EvalDtype dtype;
    private double sum;
    private int count;

    public CrossEntropy(EvalDtype dtype) {
        this.dtype = dtype;
    }

    /** Adds one position: its logits row (not modified) and the target id. */
    public void add(float[] logits, int target) {
        if (target < 0 || target >= logits.length) {
            throw new IllegalArgumentException("target id " + target + " is outside the " + logits.length + " logits");
        }
        sum += dtype == EvalDtype.BFLOAT16 ? -logProbBf16(logits, target) : -logProbF32(logits, target);
        count++;
    }

    public int count() {
        return count;
    }

    /** The mean over the positions added, as {@code loss.item()} returns it; NaN when none were added. */
    public double mean() {
        if (count == 0) return Double.NaN;
        double mean = sum / count;
        return dtype == EvalDtype.BFLOAT16 ? EvalDtype.roundBf16((float) mean) : mean;
    }

    private static double logProbF32(float[] logits, int target) {
        double max = Double.NEGATIVE_INFINITY;
        for (float x : logits) max = Math.max(max, x);
        double sumExp = 0;
        for (float x : logits) sumExp += Math.exp(x - max);
        return logits[target] - max - Math.log(sumExp);
    }

    private static float logProbBf16(float[] logits, int target) {
        float max = Float.NEGATIVE_INFINITY;
        for (float x : logits) max = Math.max(max, EvalDtype.roundBf16(x));
        double sumExp = 0;
        for (float x : logits) sumExp += Math.exp(EvalDtype.roundBf16(x) - max);
        float logSum = (float) Math.log(sumExp);
        return EvalDtype.roundBf16(EvalDtype.roundBf16(logits[target]) - max - logSum);
    }
}
