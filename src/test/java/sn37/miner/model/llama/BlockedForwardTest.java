package sn37.miner.model.llama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import sn37.miner.eval.EvalDtype;
import sn37.miner.eval.NextTokenLoss;
import sn37.miner.model.LanguageModel;

/** Query-blocked attention and chunked cross-entropy give what the plain full-sequence computation gives. */
class BlockedForwardTest {

    static final double TOLERANCE = 1e-5;

    @Test
    void blockedAttentionEqualsTheUnblockedPassForEveryBlockSize() {
        assertBlocksMatch(Map.of("head_dim", 12, "attention_bias", true, "mlp_bias", true,
                "rope_scaling", Map.of("rope_type", "llama3", "factor", 4.0, "low_freq_factor", 1.0,
                        "high_freq_factor", 4.0, "original_max_position_embeddings", 16)));
    }

    @Test
    void blockedAttentionKeepsMistralsSlidingWindow() {
        assertBlocksMatch(Map.of("architectures", List.of("MistralForCausalLM"), "sliding_window", 5,
                "tie_word_embeddings", true, "num_key_value_heads", 1));
    }

    private static void assertBlocksMatch(Map<String, Object> settings) {
        long[] ids = LlamaModelTest.ids(41, 64, 5);
        try (LlamaModel model = LlamaModelTest.randomModel(settings, 11);
                NoGrad ignored = NoGrad.enter();
                NDManager scope = model.manager().newSubManager()) {
            float[] unblocked = model.hidden(scope.create(ids, new Shape(1, ids.length))).toFloatArray();
            for (int block : new int[] {1, 4, 7, 40, 41, 1000}) {
                float[] blocked = BlockedForward.hidden(model, scope, ids, block).toFloatArray();
                assertEquals(unblocked.length, blocked.length);
                double worst = 0;
                for (int i = 0; i < blocked.length; i++) worst = Math.max(worst, Math.abs(blocked[i] - unblocked[i]));
                assertTrue(worst < TOLERANCE, "blocks of " + block + ": hidden states differ by up to " + worst);
            }
        }
    }

    @Test
    void chunkedLossEqualsTheLossOfTheFullLogits() {
        int vocab = 1000;
        int[] ids = LlamaLanguageModelTest.ints(LlamaModelTest.ids(90, vocab, 9));
        try (LlamaModel llama = LlamaModelTest.randomModel(Map.of("vocab_size", vocab), 13)) {
            // The plain computation: the unblocked forward pass's logits, CrossEntropy row by row in double.
            float[] full = LlamaModelTest.logits(llama, LlamaModelTest.ids(90, vocab, 9), 1);
            double expected = 0;
            for (int p = 20; p < ids.length - 1; p++) {
                float[] row = java.util.Arrays.copyOfRange(full, p * vocab, (p + 1) * vocab);
                double max = Double.NEGATIVE_INFINITY;
                for (float x : row) max = Math.max(max, x);
                double sumExp = 0;
                for (float x : row) sumExp += Math.exp(x - max);
                expected -= row[ids[p + 1]] - max - Math.log(sumExp);
            }
            expected /= ids.length - 1 - 20;
            LanguageModel blocked = new LlamaLanguageModel(llama, null, new LlamaLanguageModel.Blocking(6, 17));
            LanguageModel unblocked = new LlamaLanguageModel(llama, null, LlamaLanguageModel.Blocking.UNBLOCKED);
            assertEquals(expected, NextTokenLoss.of(blocked, ids, 20, EvalDtype.FLOAT32), TOLERANCE);
            assertEquals(expected, NextTokenLoss.of(unblocked, ids, 20, EvalDtype.FLOAT32), TOLERANCE);
            // Bfloat16 goes row by row through CrossEntropy, on the blocked logits; its mean is a bf16 value, and
            // logits 1e-6 apart may round it to the neighbouring one (a step is 1/16 between 8 and 16).
            assertEquals(NextTokenLoss.of(unblocked, ids, 20, EvalDtype.BFLOAT16),
                    NextTokenLoss.of(blocked, ids, 20, EvalDtype.BFLOAT16), 0.07);
        }
    }

    @Test
    void queryBlockKeepsOneBlocksScoresWithinTheBound() {
        // Llama 3.2 3B's attention at competition 4's sequence length.
        LlamaConfig config = TinyConfigs.llamaConfig(Map.of("num_attention_heads", 24, "num_key_value_heads", 8,
                "hidden_size", 3072, "max_position_embeddings", 16384));
        for (Device device : new Device[] {Device.cpu(), Device.gpu()}) {
            long bound = BlockedForward.scoreBytes(device);
            int block = BlockedForward.queryBlock(config, 16384, device);
            assertTrue((long) 24 * block * 16384 * Float.BYTES <= bound, device + ": block " + block);
            assertTrue((long) 24 * (block + 1) * 16384 * Float.BYTES > bound, device + ": block " + block);
        }
        assertEquals(10, BlockedForward.queryBlock(config, 10, Device.cpu()), "a short sequence is one block");
    }
}
