package sn37.miner.eval;

import java.util.List;
import sn37.miner.data.ReasoningSample;
import sn37.miner.data.ReasoningTask;
import sn37.miner.model.LanguageModel;
import sn37.miner.model.PromptEncoder;

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

    /**
     * DISTILLED_REASONING_3B samples as validators tokenize them ({@code Synthetic1SFTLoader.tokenize},
     * {@code CodeforcesCOTSLoader.tokenize}): the system prompt and the question through the chat template with the
     * generation prompt, then {@code encode(reference)}; neither is truncated.
     */
    public static List<Sample> tokenizeReasoning(List<ReasoningSample> samples, PromptEncoder encoder) {
        return samples.stream().map(s -> new Sample(encoder.encodeChat(ReasoningTask.SYSTEM_PROMPT, s.question()),
                encoder.encode(s.reference()))).toList();
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
        return NextTokenLoss.of(model, ids, shifted - scored, dtype);
    }
}
