package sn37.miner.eval;

import java.util.Arrays;
import java.util.List;

/**
 * The REFERENCE_LOSS method (WORD_SORTING and later SYNTHETIC_1_SFT, CODEFORCES_COTS), as
 * {@code compute_reference_loss} (finetune/eval/method.py @726fb931): one forward pass over
 * {@code context ‖ reference}, cross-entropy of the shifted logits on the last {@code len(reference)} positions
 * only, the mean over samples; any failure makes the whole task +∞, and so does an empty sample list.
 */
public final class ReferenceLoss {

    /** Token ids of one sample: the chat-templated prompt and {@code tokenizer.encode(reference)}. */
    public record Sample(int[] context, int[] reference) {}

    private ReferenceLoss() {}

    /** Word-sorting samples as validators tokenize them ({@code WordSortingLoader.tokenize}). */
    public static List<Sample> tokenize(List<WordSorting.Sample> samples, PromptEncoder encoder, int sequenceLength) {
        return samples.stream()
                .map(s -> new Sample(Prompts.chat(encoder, s.challenge(), sequenceLength), encoder.encode(s.reference())))
                .toList();
    }

    public static double run(LanguageModel model, List<Sample> samples, EvalDtype dtype) {
        return run(model, samples, dtype, done -> {});
    }

    /** As above, telling {@code scored} how many samples are done after each. */
    public static double run(LanguageModel model, List<Sample> samples, EvalDtype dtype,
            java.util.function.IntConsumer scored) {
        if (samples.isEmpty()) return Double.POSITIVE_INFINITY;
        double sum = 0;
        try {
            int done = 0;
            for (Sample s : samples) {
                sum += sampleLoss(model, s, dtype);
                scored.accept(++done);
            }
        } catch (RuntimeException e) {
            return Double.POSITIVE_INFINITY;
        }
        return sum / samples.size();
    }

    /** One sample's loss; throws what the model throws. */
    static double sampleLoss(LanguageModel model, Sample s, EvalDtype dtype) {
        int[] ids = new int[s.context().length + s.reference().length];
        System.arraycopy(s.context(), 0, ids, 0, s.context().length);
        System.arraycopy(s.reference(), 0, ids, s.context().length, s.reference().length);
        if (ids.length < 2) throw new IllegalArgumentException("a sample needs at least 2 tokens to have a loss");
        int shifted = ids.length - 1;
        // shift_logits[..., -len(ref):, :]; Python's [-0:] is the whole range, so an empty reference scores all.
        int scored = s.reference().length == 0 ? shifted : Math.min(s.reference().length, shifted);
        CrossEntropy loss = new CrossEntropy(dtype);
        // The logits of position p predict ids[p + 1]; the last position predicts nothing, so it is not computed.
        model.forward(Arrays.copyOf(ids, shifted), shifted - scored, (p, logits) -> loss.add(logits, ids[p + 1]));
        return loss.mean();
    }
}
