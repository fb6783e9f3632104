package sn37.miner.model.llama;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.model.Dtype;

class LoraAdaptersTest {

    @TempDir
    Path dir;

    @Test
    void freshAdaptersLeaveTheModelUnchanged() {
        long[] ids = LlamaModelTest.ids(10, 64, 1);
        try (LlamaModel model = LlamaModelTest.randomModel(Map.of("attention_bias", true), 3)) {
            float[] before = LlamaModelTest.logits(model, ids, 1);
            model.addLora(4, 8, 0);
            assertArrayEquals(before, LlamaModelTest.logits(model, ids, 1));
            assertEquals(2f, model.lora().orElseThrow().scaling());
            assertEquals(2 * 7 * 2, model.trainableParameters().size(), "A and B for 7 projections in 2 layers");
            assertTrue(model.trainableParameters().containsKey("model.layers.1.mlp.down_proj.lora_B.weight"));
        }
    }

    @Test
    void savingMergesTheAdaptersIntoPlainWeights() throws Exception {
        long[] ids = LlamaModelTest.ids(10, 64, 2);
        try (LlamaModel model = LlamaModelTest.randomModel(Map.of(), 5)) {
            model.addLora(2, 2, 7);
            Random random = new Random(1);
            try (NoGrad ignored = NoGrad.enter()) {
                for (NDArray b : model.trainableParameters().values()) {
                    float[] values = new float[(int) b.size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = (float) (0.2 * random.nextGaussian());
                    }
                    b.set(values);
                }
            }
            float[] adapted = LlamaModelTest.logits(model, ids, 1);
            LlamaWeights.save(model, dir.resolve("merged"), Dtype.F32, null);
            try (LlamaModel merged = LlamaWeights.load(dir.resolve("merged"), Device.cpu())) {
                assertFalse(merged.lora().isPresent());
                float[] reloaded = LlamaModelTest.logits(merged, ids, 1);
                for (int i = 0; i < adapted.length; i++) {
                    assertEquals(adapted[i], reloaded[i], 1e-4, "logit " + i);
                }
            }
        }
    }
}
