package sn37.miner.model;

import java.util.OptionalDouble;
/**
 * A causal language model as the evaluator needs it, on plain arrays: batched incremental decoding with a KV
 * cache for generation, and full-sequence logits for the loss tasks. Implementations (the DJL Llama adapter,
 * the pure-Java test models) must honour these semantics exactly, because batched generation has to give
 * token-for-token what one prompt at a time gives, as validators run it:
 *
 * <ul>
 *   <li><b>Left padding.</b> {@link #open} takes rows of equal length whose attention mask is {@code false} for
 *       a (possibly empty) run of padding at the start and {@code true} for the rest. A masked position is never
 *       attended to by any position, and its own output is never used.
 *   <li><b>Position ids</b> come from the mask as transformers computes them for left padding
 *       ({@code position_ids = attention_mask.cumsum(-1) - 1}, {@code generation/utils.py
 *       prepare_inputs_for_generation}): the first real token of every row is position 0, whatever the padding.
 *       Each token appended by {@link Session#append} is attended and takes the row's next position.
 *   <li><b>Causality.</b> Position t attends to the unmasked positions ≤ t of its own row only, so a row's logits
 *       depend only on its unpadded content.
 *   <li><b>Logits</b> are the model's output for the vocabulary ({@link #vocabSize()} values), as
 *       {@code LlamaForCausalLM.forward} returns them: for a bf16 model, bf16 values widened to float.
 * </ul>
 *
 * Failures are thrown as unchecked exceptions (the evaluator counts a failing question as wrong).
 */
public interface LanguageModel extends AutoCloseable {

    int vocabSize();

    /**
     * Runs the prompt rows through the model and keeps their KV cache.
     *
     * @param leftPaddedIds [rows][length] token ids; padded positions may hold any id
     * @param attentionMask [rows][length], false on the left padding, true on every real token
     */
    Session open(int[][] leftPaddedIds, boolean[][] attentionMask);

    /**
     * One sequence, no padding, every position attending to all earlier ones: hands the logits of positions
     * {@code from .. ids.length - 1} to {@code out} in order. The array passed to {@code out} may be reused for
     * the next position, so consume or copy it before returning.
     */
    void forward(int[] ids, int from, PositionLogits out);

    /**
     * The mean float32 next-token cross-entropy of one sequence over positions {@code from .. ids.length - 2}, each
     * predicting the id after it, computed without handing every position's logits over; empty when this model
     * cannot, and NaN when no position is scored. The evaluator's {@code NextTokenLoss} falls back to
     * {@link #forward} otherwise.
     */
    default OptionalDouble float32NextTokenLoss(int[] ids, int from) {
        return OptionalDouble.empty();
    }

    /** All positions' logits of one sequence, [length][vocab]; for short sequences (tests, small models). */
    default float[][] logits(int[] ids) {
        float[][] all = new float[ids.length][];
        forward(ids, 0, (position, logits) -> all[position] = logits.clone());
        return all;
    }

    @Override
    void close();

    /** Receives one position's logits, [vocab]. */
    @FunctionalInterface
    interface PositionLogits {
        void accept(int position, float[] logits);
    }

    /** A batch being decoded one token per row at a time. */
    interface Session extends AutoCloseable {
        int rows();

        /**
         * The logits of every row's newest position, [rows][vocab]: the last prompt token after {@link #open},
         * the appended token after {@link #append}. The caller may modify the arrays.
         */
        float[][] lastLogits();

        /** Appends one attended token to every row (finished rows get the pad token, as transformers does). */
        void append(int[] tokenPerRow);

        @Override
        void close();
    }
}
