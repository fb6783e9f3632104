package sn37.miner.eval;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import sn37.miner.model.LanguageModel;
import sn37.miner.model.PromptEncoder;

/**
 * The TEXT_LOSS method (FINEWEB), as {@code compute_text_loss} (finetune/eval/method.py @726fb931 and HEAD): first a
 * sanity check on the first two texts, then the mean over texts of the cross-entropy over all shifted positions
 * (padding included, when the texts were padded); any failure, fewer than two texts or a failed check gives +∞.
 *
 * <p>The check ({@code check_for_reasonable_output}) generates 20 tokens greedily, EOS suppressed, for each of two
 * prompts and fails when the two outputs agree in ≥ 10 positions, or when in both outputs one token fills more than
 * 10 of the 20 places. Its prompts are {@code batches[0][:100]} and {@code batches[1][:100]}; the comment there
 * says "100 tokens", but the texts are 1 × L tensors, so the slice takes rows and the prompts are the whole texts.
 * This is what validators run, so it is what this class runs.
 *
 * <p>Texts are tokenized as in the Oct 2024 schedule ({@link #tokenize}), not padded, so no padding is scored.
 */
public final class TextLoss {

    static final int CHECK_TOKENS = 20;

    private TextLoss() {}

    /**
     * FINEWEB's texts as validators tokenize them in the Oct 2024 schedule ({@code HuggingFaceLoader.tokenize}
     * @726fb931): {@code tokenizer(text, max_length=sequence_length, truncation=True)["input_ids"] + [eos]}. The
     * truncation keeps the last {@code sequenceLength} tokens: the validator's tokenizer is shared by the tasks, and
     * SYNTHETIC_MMLU's and WORD_SORTING's {@code tokenize}, which run first, set {@code truncation_side = "left"} on
     * it. (HEAD pads to {@code max_length} instead; the competition tokenizer {@code Xenova/gpt-4} has no pad token,
     * so that call fails there.)
     */
    public static List<int[]> tokenize(List<String> texts, PromptEncoder encoder, int sequenceLength) {
        return texts.stream().map(text -> {
            int[] ids = encoder.encode(text);
            int from = Math.max(0, ids.length - sequenceLength);
            int[] out = Arrays.copyOfRange(ids, from, ids.length + 1);
            out[out.length - 1] = encoder.eosTokenId();
            return out;
        }).toList();
    }

    public static double run(LanguageModel model, List<int[]> texts, int eosTokenId, EvalDtype dtype) {
        return run(model, texts, eosTokenId, dtype, done -> {});
    }

    /** As above, telling {@code scored} how many texts are done after each. */
    public static double run(LanguageModel model, List<int[]> texts, int eosTokenId, EvalDtype dtype,
            IntConsumer scored) {
        try {
            if (texts.size() < 2 || !reasonable(model, texts.get(0), texts.get(1), eosTokenId, dtype)) {
                return Double.POSITIVE_INFINITY;
            }
            double sum = 0;
            int done = 0;
            for (int[] ids : texts) {
                if (ids.length < 2) return Double.POSITIVE_INFINITY;
                sum += NextTokenLoss.of(model, ids, 0, dtype);
                scored.accept(++done);
            }
            return sum / texts.size();
        } catch (RuntimeException e) {
            return Double.POSITIVE_INFINITY;
        }
    }

    static boolean reasonable(LanguageModel model, int[] first, int[] second, int eosTokenId, EvalDtype dtype) {
        Generator generator = new Generator(model, GenerationSettings.sanityCheck(eosTokenId), dtype);
        int[] a = generator.generateBatch(List.of(first))[0];
        int[] b = generator.generateBatch(List.of(second))[0];
        return reasonable(a, b);
    }

    /** The two tests of {@code check_for_reasonable_output} on two 20-token outputs. */
    static boolean reasonable(int[] a, int[] b) {
        int same = 0;
        for (int i = 0; i < Math.min(a.length, b.length); i++) if (a[i] == b[i]) same++;
        if (same >= CHECK_TOKENS / 2) return false;
        return !(mostCommonCount(a) > CHECK_TOKENS / 2 && mostCommonCount(b) > CHECK_TOKENS / 2);
    }

    private static int mostCommonCount(int[] tokens) {
        Map<Integer, Integer> counts = new HashMap<>();
        int max = 0;
        for (int t : tokens) max = Math.max(max, counts.merge(t, 1, Integer::sum));
        return max;
    }
}
