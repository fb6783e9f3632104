package sn37.miner.model.llama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our forward pass against transformers 5.17.0 / torch 2.13.0 on the same weights (see
 * src/test/resources/model/llama/README.md). Tolerance 2e-5 on logits of size ~4: the two
 * attention kernels of transformers (eager, sdpa) differ by 2.4e-6 from each other.
 */
class LlamaGoldenTest {

    static final double TOLERANCE = 2e-5;

    @ParameterizedTest
    @CsvSource({"llama-gqa-bias, llama", "mistral-tied-window, mistral"})
    void logitsMatchTransformers(String dir, String name) throws Exception {
        long[] ids = Golden.longs("logits.safetensors", "input_ids");
        float[] expected = Golden.floats("logits.safetensors", name + "_logits_sdpa");
        try (LlamaModel model = LlamaWeights.load(Golden.path(dir), Device.cpu());
                NDManager step = model.manager().newSubManager();
                NoGrad ignored = NoGrad.enter()) {
            NDArray logits = model.forward(step.create(ids, new Shape(2, ids.length / 2)));
            float[] actual = logits.toFloatArray();
            assertEquals(expected.length, actual.length);
            double worst = 0;
            for (int i = 0; i < actual.length; i++) {
                worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
            }
            assertTrue(worst < TOLERANCE, name + ": logits differ from transformers by up to " + worst);
        }
    }

    /** The evaluator's full-sequence pass, attention in blocks of 3 queries, the LM head on 4 positions at a time. */
    @ParameterizedTest
    @CsvSource({"llama-gqa-bias, llama", "mistral-tied-window, mistral"})
    void blockedLogitsMatchTransformers(String dir, String name) throws Exception {
        long[] ids = Golden.longs("logits.safetensors", "input_ids");
        float[] expected = Golden.floats("logits.safetensors", name + "_logits_sdpa");
        int length = ids.length / 2;
        int vocab = expected.length / ids.length;
        try (LlamaLanguageModel model = new LlamaLanguageModel(LlamaWeights.load(Golden.path(dir), Device.cpu()), null,
                new LlamaLanguageModel.Blocking(3, 4))) {
            double worst = 0;
            for (int row = 0; row < 2; row++) {
                int[] rowIds = LlamaLanguageModelTest.ints(java.util.Arrays.copyOfRange(ids, row * length,
                        (row + 1) * length));
                float[][] actual = model.logits(rowIds);
                for (int t = 0; t < length; t++) {
                    for (int v = 0; v < vocab; v++) {
                        worst = Math.max(worst, Math.abs(actual[t][v] - expected[(row * length + t) * vocab + v]));
                    }
                }
            }
            assertTrue(worst < TOLERANCE, name + ": blocked logits differ from transformers by up to " + worst);
        }
    }
}
