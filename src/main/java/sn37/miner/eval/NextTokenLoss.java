package sn37.miner.eval;

import java.util.Arrays;
import java.util.OptionalDouble;
import sn37.miner.model.LanguageModel;

/**
 * The mean next-token cross-entropy of one sequence over positions {@code from .. ids.length - 2}, each predicting
 * the id after it, as {@link CrossEntropy} computes it in {@code dtype}; NaN when no position is scored. In float32 a
 * model that can compute it on the device in bounded chunks does ({@link LanguageModel#float32NextTokenLoss}, within
 * 1e-5); otherwise the logits come over position by position.
 */
public final class NextTokenLoss {
    private NextTokenLoss() {}

    public static double of(LanguageModel model, int[] ids, int from, EvalDtype dtype) {
        if (dtype == EvalDtype.FLOAT32) {
            OptionalDouble onDevice = model.float32NextTokenLoss(ids, from);
            if (onDevice.isPresent()) {
                return onDevice.getAsDouble();
            }
        }
        CrossEntropy loss = new CrossEntropy(dtype);
        model.forward(Arrays.copyOf(ids, ids.length - 1), from, (p, logits) -> loss.add(logits, ids[p + 1]));
        return loss.mean();
    }
}
