package sn37.miner.eval.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.competition.LinearDecay;
import sn37.miner.competition.ModelConstraints;
import sn37.miner.competition.NormLimits;
import sn37.miner.model.CheckpointWriter;
import sn37.miner.model.Dtype;
import sn37.miner.model.FloatTensor;
import sn37.miner.model.ModelConfig;
import sn37.miner.model.TensorData;

/** Validators' model checks on tiny Llama checkpoints written with CheckpointWriter (hidden 8, ffn 16, 2 layers). */
class LocalValidationTest {

    private static final int VOCAB = 32;
    private static final int D = 8;
    private static final int F = 16;
    private static final int LAYERS = 2;

    @TempDir
    Path tmp;

    private static ModelConstraints constraints(long maxParams, long maxBytes) {
        return new ModelConstraints(maxParams, 0, 4096, List.of("LlamaForCausalLM", "MistralForCausalLM"),
                "Xenova/gpt-4", "bfloat16", 1200, new LinearDecay(0.05, 0.01, 36_000), maxBytes, NormLimits.SN37);
    }

    private static final ModelConstraints ROOMY = constraints(1_000_000, 1 << 30);

    /** Norms per tensor name; projections not named get norm 10. Each element is norm / sqrt(count). */
    private Path checkpoint(String name, Map<String, float[]> overrides, String modelType, Boolean tie) throws Exception {
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree("{\"model_type\": \"" + modelType + "\","
                + " \"num_hidden_layers\": " + LAYERS + ", \"hidden_size\": " + D + "}");
        if (tie != null) json.put("tie_word_embeddings", tie);
        ModelConfig config = new ModelConfig(json).withArchitectures(List.of("LlamaForCausalLM"));
        List<TensorData> tensors = new ArrayList<>();
        tensors.add(tensor("model.embed_tokens.weight", VOCAB, D, 5, overrides));
        for (int i = 0; i < LAYERS; i++) {
            String p = "model.layers." + i + ".";
            for (String proj : List.of("q_proj", "k_proj", "v_proj", "o_proj")) {
                tensors.add(tensor(p + "self_attn." + proj + ".weight", D, D, 10, overrides));
            }
            tensors.add(tensor(p + "mlp.gate_proj.weight", F, D, 10, overrides));
            tensors.add(tensor(p + "mlp.up_proj.weight", F, D, 10, overrides));
            tensors.add(tensor(p + "mlp.down_proj.weight", D, F, 10, overrides));
            tensors.add(tensor(p + "input_layernorm.weight", 1, D, 3, overrides));
            tensors.add(tensor(p + "post_attention_layernorm.weight", 1, D, 3, overrides));
        }
        tensors.add(tensor("model.norm.weight", 1, D, 3, overrides));
        tensors.add(tensor("lm_head.weight", VOCAB, D, 5, overrides));
        Path dir = tmp.resolve(name);
        CheckpointWriter.write(dir, config, tensors);
        return dir;
    }

    private static TensorData tensor(String name, int rows, int cols, double norm, Map<String, float[]> overrides) {
        float[] values = overrides.get(name);
        if (values == null) {
            values = new float[rows * cols];
            Arrays.fill(values, (float) (norm / Math.sqrt(values.length)));
        }
        long[] shape = rows == 1 ? new long[] {cols} : new long[] {rows, cols};
        return new FloatTensor(name, Dtype.F32, shape, values);
    }

    private static float[] uniform(int count, double norm) {
        float[] v = new float[count];
        Arrays.fill(v, (float) (norm / Math.sqrt(count)));
        return v;
    }

    private Path normal() throws Exception {
        return checkpoint("normal", Map.of(), "llama", null);
    }

    @Test
    void aNormalModelPasses() throws Exception {
        LocalValidation.Result r = LocalValidation.validate(normal(), ROOMY);
        assertTrue(r.passed(), r.reason());
        assertEquals("LlamaForCausalLM", r.modelClass());
        assertEquals(0.0, r.normFractions().get("self_attn.q_proj"));
        assertEquals(10.0, r.maxNorm(), 0.05);
    }

    @Test
    void oneInflatedProjectionIsRejected() throws Exception {
        String inflated = "model.layers.1.self_attn.v_proj.weight";
        Path dir = checkpoint("inflated", Map.of(inflated, uniform(D * D, 1200)), "llama", null);
        LocalValidation.Result r = LocalValidation.validate(dir, ROOMY);
        assertFalse(r.passed());
        assertTrue(r.reason().contains(inflated) && r.reason().contains("hard limit 1000"), r.reason());
    }

    @Test
    void aNormJustAboveTheHardLimitPassesWhenBf16RoundsItDown() throws Exception {
        // 63 × 125² + 125.5² = 1,000,125.25: the norm is 1000.06, which bf16 (spacing 4 near 1000) reads as 1000.
        float[] v = new float[D * D];
        Arrays.fill(v, 125f);
        v[0] = 125.5f;
        Path dir = checkpoint("edge", Map.of("model.layers.0.self_attn.o_proj.weight", v), "llama", null);
        LocalValidation.Result r = LocalValidation.validate(dir, ROOMY);
        assertTrue(r.passed(), r.reason());
        assertEquals(0.5, r.normFractions().get("self_attn.o_proj"), "1000 is still above the soft limit 200");
    }

    @Test
    void tooManyProjectionsAboveTheSoftLimitAreRejected() throws Exception {
        Map<String, float[]> big = new HashMap<>();
        for (int i = 0; i < LAYERS; i++) {
            big.put("model.layers." + i + ".self_attn.q_proj.weight", uniform(D * D, 300));
            big.put("model.layers." + i + ".self_attn.k_proj.weight", uniform(D * D, 300));
        }
        LocalValidation.Result r = LocalValidation.validate(checkpoint("soft", big, "llama", null), ROOMY);
        assertFalse(r.passed());
        assertEquals(1.0, r.normFractions().get("self_attn.k_proj"));
        assertTrue(r.reason().contains("0.333") && r.reason().contains("> 0.15"), r.reason());
    }

    @Test
    void parameterCountOutsideTheBoundsIsRejected() throws Exception {
        Path dir = normal();
        long params = LocalValidation.validate(dir, ROOMY).parameters();
        LocalValidation.Result r = LocalValidation.validate(dir, constraints(params - 1, 1 << 30));
        assertFalse(r.passed());
        assertTrue(r.reason().contains(params + " parameters"), r.reason());
    }

    @Test
    void untiedEmbeddingsCountBothMatricesAndTiedOnesCountOnce() throws Exception {
        int perLayer = 4 * D * D + 3 * F * D + 2 * D;
        long untied = 2L * VOCAB * D + LAYERS * perLayer + D;
        assertEquals(untied, LocalValidation.validate(normal(), ROOMY).parameters());
        Path tied = checkpoint("tied", Map.of(), "llama", true);
        assertEquals(untied - VOCAB * D, LocalValidation.validate(tied, ROOMY).parameters());
    }

    @Test
    void aModelTypeOutsideTheAllowedClassesIsRejected() throws Exception {
        LocalValidation.Result r = LocalValidation.validate(checkpoint("qwen", Map.of(), "qwen2", null), ROOMY);
        assertFalse(r.passed());
        assertTrue(r.reason().contains("'qwen2'"), r.reason());
        LocalValidation.Result phi = LocalValidation.validate(checkpoint("phi", Map.of(), "phi", null), ROOMY);
        assertTrue(phi.reason().contains("PhiForCausalLM"), "allowed classes are checked by model_type");
    }

    @Test
    void aModelLargerThanMaxBytesIsRejected() throws Exception {
        LocalValidation.Result r = LocalValidation.validate(normal(), constraints(1_000_000, 1000));
        assertFalse(r.passed());
        assertTrue(r.reason().contains("max_bytes 1000"), r.reason());
    }

    @Test
    void aModelWithoutLlamaStyleProjectionsIsRejected() throws Exception {
        ModelConstraints mistral = constraints(1_000_000, 1 << 30);
        Path dir = checkpoint("renamed", Map.of(), "mistral", null);
        java.nio.file.Files.delete(dir.resolve("model.safetensors"));
        CheckpointWriter.write(dir, new ModelConfig((ObjectNode) new ObjectMapper().readTree(
                "{\"model_type\": \"mistral\", \"num_hidden_layers\": 1}")).withArchitectures(List.of("MistralForCausalLM")),
                List.of(new FloatTensor("model.layers.0.self_attn.qkv_proj.weight", Dtype.F32, new long[] {2, 2},
                        new float[4])));
        LocalValidation.Result r = LocalValidation.validate(dir, mistral);
        assertFalse(r.passed());
        assertTrue(r.reason().contains("q_proj"), r.reason());
    }
}
