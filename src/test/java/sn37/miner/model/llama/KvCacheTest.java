package sn37.miner.model.llama;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Incremental decoding with a cache, and left padding, give what one full forward pass of the unpadded row gives. */
class KvCacheTest {

    static List<Map<String, Object>> configs() {
        return List.of(Map.of("attention_bias", true),
                Map.of("architectures", List.of("MistralForCausalLM"), "sliding_window", 4, "tie_word_embeddings", true));
    }

    @ParameterizedTest
    @MethodSource("configs")
    void decodingTokenByTokenMatchesTheFullForwardPass(Map<String, Object> settings) {
        long[] ids = LlamaModelTest.ids(9, 64, 8);
        try (LlamaModel model = LlamaModelTest.randomModel(settings, 31);
                KvCache cache = model.newCache();
                NoGrad ignored = NoGrad.enter()) {
            float[] full = LlamaModelTest.logits(model, ids, 1);
            int prompt = 5;
            float[] got = new float[ids.length * 64];
            try (NDManager step = model.manager().newSubManager()) {
                long[] head = Arrays.copyOf(ids, prompt);
                float[] logits = model.logits(model.hidden(step.create(head, new Shape(1, prompt)),
                        new long[][] {{0, 1, 2, 3, 4}}, new boolean[][] {{true, true, true, true, true}}, cache))
                        .toFloatArray();
                System.arraycopy(logits, 0, got, 0, logits.length);
            }
            for (int t = prompt; t < ids.length; t++) {
                try (NDManager step = model.manager().newSubManager()) {
                    float[] logits = model.logits(model.hidden(step.create(new long[] {ids[t]}, new Shape(1, 1)),
                            new long[][] {{t}}, new boolean[][] {{true}}, cache)).toFloatArray();
                    System.arraycopy(logits, 0, got, t * 64, 64);
                }
            }
            assertEquals(ids.length, cache.length());
            for (int i = 0; i < full.length; i++) {
                assertEquals(full[i], got[i], 1e-4, "logit " + i);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void aLeftPaddedRowGivesTheLogitsOfTheUnpaddedOne(Map<String, Object> settings) {
        long[] shortRow = LlamaModelTest.ids(4, 64, 9);
        long[] longRow = LlamaModelTest.ids(7, 64, 10);
        try (LlamaModel model = LlamaModelTest.randomModel(settings, 37);
                KvCache cache = model.newCache();
                NDManager step = model.manager().newSubManager();
                NoGrad ignored = NoGrad.enter()) {
            long[] batch = new long[14];
            System.arraycopy(shortRow, 0, batch, 3, 4); // three pads (id 0) first
            System.arraycopy(longRow, 0, batch, 7, 7);
            long[][] positions = {{0, 0, 0, 0, 1, 2, 3}, {0, 1, 2, 3, 4, 5, 6}};
            boolean[][] attended = {{false, false, false, true, true, true, true},
                {true, true, true, true, true, true, true}};
            float[] padded = model.logits(model.hidden(step.create(batch, new Shape(2, 7)), positions, attended, cache))
                    .toFloatArray();
            float[] alone = LlamaModelTest.logits(model, shortRow, 1);
            float[] other = LlamaModelTest.logits(model, longRow, 1);
            for (int t = 0; t < 4; t++) {
                for (int v = 0; v < 64; v++) {
                    assertEquals(alone[t * 64 + v], padded[(3 + t) * 64 + v], 1e-4, "short row position " + t);
                }
            }
            for (int i = 0; i < other.length; i++) {
                assertEquals(other[i], padded[7 * 64 + i], 1e-4, "long row logit " + i);
            }
        }
    }
}
