package sn37.miner.model.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Next-token cross-entropy on chosen positions only, as transformers' loss with labels set to
 * -100 elsewhere: {@code mean(-log softmax(logits[row])[target])} over the chosen rows. Only the
 * chosen rows go through the LM head, so a chat whose loss covers its few answer tokens does not
 * pay for [T, vocab] logits of the prompt.
 */
public final class TokenLoss {

    private TokenLoss() {
    }

    /**
     * @param ids token ids [B, T], on a per-step manager
     * @param rows flattened positions {@code b * T + t} whose next token is scored
     * @param targets the token each row must predict (the id at position t + 1)
     * @return the mean loss, a scalar on the ids' manager (differentiable when the model is trainable)
     */
    public static NDArray mean(LlamaModel model, NDArray ids, long[] rows, long[] targets) {
        if (rows.length != targets.length || rows.length == 0) {
            throw new IllegalArgumentException("need as many targets as rows, at least one (got " + rows.length
                    + " rows, " + targets.length + " targets)");
        }
        NDManager scope = ids.getManager();
        NDArray hidden = model.hidden(ids);
        long batchTime = ids.getShape().get(0) * ids.getShape().get(1);
        NDArray flat = hidden.reshape(batchTime, hidden.getShape().get(2));
        NDArray chosen = rows.length == batchTime && isIdentity(rows) ? flat
                : flat.get(new NDIndex("{}", scope.create(rows)));
        NDArray logits = model.logits(chosen);
        NDArray logProbs = logits.logSoftmax(1);
        // [rows, vocab]: log_softmax keeps its output for backward, not its input, so this goes now.
        logits.close();
        NDArray picked = logProbs.gather(scope.create(targets, new Shape(targets.length, 1)), 1);
        return picked.mean().neg();
    }

    private static boolean isIdentity(long[] rows) {
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] != i) {
                return false;
            }
        }
        return true;
    }
}
