package sn37.miner.eval;

import java.util.List;
import java.util.function.IntConsumer;
import sn37.miner.model.LanguageModel;

/**
 * Computes the loss tasks' raw scores for one model from token ids the caller made, so every backend scores the
 * same ids: {@link #djl} on the DJL model in this process (float32 arithmetic, logits rounded to bf16 for
 * {@link EvalDtype#BFLOAT16}), or PyTorch in bf16 as validators run it ({@code eval.torch.TorchLosses}).
 *
 * <p>A task the model cannot be scored on is +∞, as validators score it. A backend that cannot do its job at all
 * (its process failed, its output is unreadable) throws instead: that is no score.
 */
public interface LossBackend {

    /** "djl" or "torch": which backend scored a task, as the evaluation's output says. */
    String name();

    /** The REFERENCE_LOSS method ({@link ReferenceLoss}) on {@code samples}; {@code scored} hears each one done. */
    double referenceLoss(String task, List<ReferenceLoss.Sample> samples, IntConsumer scored);

    /** The TEXT_LOSS method ({@link TextLoss}) on {@code texts}, its check generating with {@code eosTokenId}. */
    double textLoss(String task, List<int[]> texts, int eosTokenId, IntConsumer scored);

    /** The DJL model of this process. */
    static LossBackend djl(LanguageModel model, EvalDtype dtype) {
        return new LossBackend() {
            @Override
            public String name() {
                return "djl";
            }

            @Override
            public double referenceLoss(String task, List<ReferenceLoss.Sample> samples, IntConsumer scored) {
                return ReferenceLoss.run(model, samples, dtype, scored);
            }

            @Override
            public double textLoss(String task, List<int[]> texts, int eosTokenId, IntConsumer scored) {
                return TextLoss.run(model, texts, eosTokenId, dtype, scored);
            }
        };
    }
}
