package sn37.miner.model.llama;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.model.CheckpointDir;
import sn37.miner.model.CheckpointFormatException;
import sn37.miner.model.CheckpointWriter;
import sn37.miner.model.Dtype;
import sn37.miner.model.DeferredFloatTensor;
import sn37.miner.model.FloatTensor;
import sn37.miner.model.TensorData;
import sn37.miner.model.HalfFloats;
import sn37.miner.model.TensorInfo;

class LlamaModelTest {

    @TempDir
    Path dir;

    /** Large init so that attention is far from uniform and every term of the forward pass matters. */
    static LlamaModel randomModel(Map<String, Object> overrides, long seed) {
        Map<String, Object> config = new HashMap<>(overrides);
        config.putIfAbsent("initializer_range", 0.3);
        LlamaModel model = LlamaWeights.initialize(TinyConfigs.llamaConfig(config), seed, Device.cpu());
        Random random = new Random(seed);
        try (NoGrad ignored = NoGrad.enter()) {
            // Norm weights and biases away from 1 and 0, so a missing or misplaced one shows.
            model.parameters().forEach((name, p) -> {
                if (name.endsWith("norm.weight") || name.endsWith(".bias")) {
                    float[] v = p.toFloatArray();
                    for (int i = 0; i < v.length; i++) {
                        v[i] += (float) (0.3 * random.nextGaussian());
                    }
                    p.set(v);
                }
            });
        }
        return model;
    }

    static long[] ids(int count, int vocab, long seed) {
        Random random = new Random(seed);
        long[] ids = new long[count];
        for (int i = 0; i < count; i++) {
            ids[i] = random.nextInt(vocab);
        }
        return ids;
    }

    static float[] logits(LlamaModel model, long[] ids, int batch) {
        try (NDManager step = model.manager().newSubManager(); NoGrad ignored = NoGrad.enter()) {
            return model.forward(step.create(ids, new Shape(batch, ids.length / batch))).toFloatArray();
        }
    }

    @Test
    void groupedQueryAttentionWithRopeMatchesANaiveReference() {
        Map<String, Object> settings = Map.of("head_dim", 12, "attention_bias", true, "mlp_bias", true,
                "rope_scaling", Map.of("rope_type", "llama3", "factor", 4.0, "low_freq_factor", 1.0,
                        "high_freq_factor", 4.0, "original_max_position_embeddings", 16));
        assertMatchesNaive(settings);
    }

    @Test
    void mistralSlidingWindowAndTiedHeadMatchANaiveReference() {
        assertMatchesNaive(Map.of("architectures", List.of("MistralForCausalLM"), "sliding_window", 3,
                "tie_word_embeddings", true, "num_key_value_heads", 1));
    }

    private static void assertMatchesNaive(Map<String, Object> settings) {
        try (LlamaModel model = randomModel(settings, 7)) {
            long[] ids = ids(2 * 11, 64, 3);
            float[] actual = logits(model, ids, 2);
            NaiveLlama naive = new NaiveLlama(model);
            for (int b = 0; b < 2; b++) {
                long[] row = java.util.Arrays.copyOfRange(ids, b * 11, b * 11 + 11);
                double[][] expected = naive.logits(row);
                for (int t = 0; t < 11; t++) {
                    for (int v = 0; v < 64; v++) {
                        float got = actual[(b * 11 + t) * 64 + v];
                        assertEquals(expected[t][v], got, 1e-4 * Math.max(1, Math.abs(expected[t][v])),
                                "batch " + b + " position " + t + " token " + v);
                    }
                }
            }
        }
    }

    @Test
    void rmsNormDividesByTheRootMeanSquareAndScales() {
        try (LlamaModel model = randomModel(Map.of(), 1); NDManager step = model.manager().newSubManager()) {
            float[] x = {1f, -2f, 3f, 0.5f};
            float[] w = {1f, 2f, 0.5f, -1f};
            float[] out = model.rmsNorm(step.create(x, new Shape(1, 4)), step.create(w)).toFloatArray();
            double rms = Math.sqrt((1 + 4 + 9 + 0.25) / 4 + 1e-5);
            for (int i = 0; i < 4; i++) {
                assertEquals(x[i] / rms * w[i], out[i], 1e-6);
            }
        }
    }

    @Test
    void rotateTurnsEachHalfPairByItsAngle() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            int dim = 6;
            float[] inv = Rope.unscaled(100).inverseFrequencies(dim);
            int pos = 5;
            float[] cos = new float[dim];
            float[] sin = new float[dim];
            for (int i = 0; i < dim; i++) {
                cos[i] = (float) Math.cos((float) (pos * inv[i % 3]));
                sin[i] = (float) Math.sin((float) (pos * inv[i % 3]));
            }
            double[] x = {0.3, -1.2, 2.0, 0.7, 0.1, -0.4};
            float[] xf = new float[dim];
            for (int i = 0; i < dim; i++) {
                xf[i] = (float) x[i];
            }
            float[] out = LlamaModel.rotate(manager.create(xf), manager.create(cos), manager.create(sin)).toFloatArray();
            double[] expected = NaiveLlama.rotated(x, 0, dim, pos, inv);
            for (int i = 0; i < dim; i++) {
                assertEquals(expected[i], out[i], 1e-6, "element " + i);
            }
        }
    }

    @Test
    void savedAndReloadedModelGivesIdenticalLogits() throws Exception {
        long[] ids = ids(12, 64, 5);
        try (LlamaModel model = randomModel(Map.of("attention_bias", true), 11)) {
            LlamaWeights.save(model, dir.resolve("f32"), Dtype.F32, null);
            try (LlamaModel reloaded = LlamaWeights.load(dir.resolve("f32"), Device.cpu())) {
                assertArrayEquals(logits(model, ids, 1), logits(reloaded, ids, 1));
            }
        }
    }

    @Test
    void savesBfloat16RoundedToNearestEvenInStateDictOrder() throws Exception {
        try (LlamaModel model = randomModel(Map.of("tie_word_embeddings", true), 13)) {
            LlamaWeights.save(model, dir.resolve("bf16"), Dtype.BF16, null);
            try (CheckpointDir saved = CheckpointDir.open(dir.resolve("bf16"))) {
                assertEquals("bfloat16", saved.config().torchDtype().orElseThrow());
                assertEquals(List.of("LlamaForCausalLM"), saved.config().architectures());
                assertFalse(saved.tensors().stream().anyMatch(t -> t.name().equals("lm_head.weight")));
                float[] original = model.parameters().get("model.layers.1.mlp.up_proj.weight").toFloatArray();
                float[] stored = saved.readFloats("model.layers.1.mlp.up_proj.weight");
                for (int i = 0; i < original.length; i++) {
                    assertEquals(HalfFloats.bf16ToF32(HalfFloats.f32ToBf16(original[i])), stored[i]);
                }
            }
            List<String> order = LlamaWeights.tensors(model, Dtype.BF16).stream().map(DeferredFloatTensor::name).toList();
            assertEquals(model.config().parameters().stream().map(ParameterSpec::name).toList(), order);
        }
    }

    @Test
    void aTensorWithTheWrongShapeIsAnErrorNamingIt() throws Exception {
        try (LlamaModel model = randomModel(Map.of(), 17)) {
            List<TensorData> tensors = new ArrayList<>(LlamaWeights.tensors(model, Dtype.F32));
            tensors.set(3, new FloatTensor(tensors.get(3).name(), Dtype.F32, new long[] {8, 32}, new float[8 * 32]));
            CheckpointWriter.write(dir.resolve("bad"), model.config().source(), tensors);
        }
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> LlamaWeights.load(dir.resolve("bad"), Device.cpu()));
        assertTrue(e.getMessage().contains("model.layers.0.self_attn.v_proj.weight"), e.getMessage());
        assertTrue(e.getMessage().contains("[8, 32]"), e.getMessage());
    }

    @Test
    void aTensorTheArchitectureLacksIsAnError() throws Exception {
        try (LlamaModel model = randomModel(Map.of(), 19)) {
            List<TensorData> tensors = new ArrayList<>(LlamaWeights.tensors(model, Dtype.F32));
            tensors.add(new FloatTensor("model.layers.0.self_attn.q_norm.weight", Dtype.F32, new long[] {8}, new float[8]));
            CheckpointWriter.write(dir.resolve("extra"), model.config().source(), tensors);
        }
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> LlamaWeights.load(dir.resolve("extra"), Device.cpu()));
        assertTrue(e.getMessage().contains("1 tensor(s) that LlamaForCausalLM"), e.getMessage());
        assertFalse(e.getMessage().contains("q_norm"), "a tensor name read from the file is not echoed: " + e.getMessage());
    }

    @Test
    void freshInitialisationIsSeededAndFollowsTransformers() {
        try (LlamaModel a = LlamaWeights.initialize(TinyConfigs.llamaConfig(Map.of("attention_bias", true)), 5, Device.cpu());
                LlamaModel b = LlamaWeights.initialize(TinyConfigs.llamaConfig(Map.of("attention_bias", true)), 5, Device.cpu())) {
            for (String name : a.parameterNames()) {
                assertArrayEquals(a.parameters().get(name).toFloatArray(), b.parameters().get(name).toFloatArray(), name);
            }
            float[] embed = a.parameters().get("model.embed_tokens.weight").toFloatArray();
            double sum = 0;
            for (float v : embed) {
                sum += v * v;
            }
            assertEquals(0.02, Math.sqrt(sum / embed.length), 0.002, "std of N(0, initializer_range)");
            for (float v : a.parameters().get("model.norm.weight").toFloatArray()) {
                assertEquals(1f, v);
            }
            for (float v : a.parameters().get("model.layers.0.self_attn.q_proj.bias").toFloatArray()) {
                assertEquals(0f, v);
            }
        }
    }

    @Test
    void loadsAShardedDirectory() throws Exception {
        try (LlamaModel model = randomModel(Map.of(), 23)) {
            List<DeferredFloatTensor> tensors = LlamaWeights.tensors(model, Dtype.F32);
            CheckpointWriter.write(dir.resolve("sharded"), model.config().source(),
                    sn37.miner.model.GenerationConfig.fromModelConfig(model.config().source()), tensors, 20_000);
            assertTrue(Files.exists(dir.resolve("sharded").resolve(CheckpointDir.INDEX)));
            try (LlamaModel reloaded = LlamaWeights.load(dir.resolve("sharded"), Device.cpu())) {
                long[] ids = ids(9, 64, 1);
                assertArrayEquals(logits(model, ids, 1), logits(reloaded, ids, 1));
            }
        }
    }
}
