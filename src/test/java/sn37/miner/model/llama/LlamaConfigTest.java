package sn37.miner.model.llama;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import sn37.miner.model.ModelConfig;

class LlamaConfigTest {

    private static final Map<String, Object> LLAMA3_SCALING = Map.of("rope_type", "llama3", "factor", 8.0,
            "low_freq_factor", 1.0, "high_freq_factor", 4.0, "original_max_position_embeddings", 32);

    @Test
    void rejectsAnUnsupportedArchitectureWithoutQuotingTheFile() {
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                () -> TinyConfigs.llamaConfig(Map.of("architectures", List.of("GPTNeoXForCausalLM"))));
        assertTrue(e.getMessage().contains("'architectures'[0] is not a supported architecture"), e.getMessage());
        assertTrue(e.getMessage().contains("LlamaForCausalLM"), e.getMessage());
        assertFalse(e.getMessage().contains("GPTNeoX"), "the file's text in: " + e.getMessage());
    }

    @Test
    void rejectsSettingsItDoesNotComputeNamingThem() {
        assertMessage(Map.of("hidden_act", "gelu"), "this hidden_act is not supported");
        assertMessage(Map.of("rope_scaling", Map.of("rope_type", "yarn", "factor", 4.0)), "this rope type");
        assertMessage(Map.of("vocab_size", "hf_CANARY"), "'vocab_size' must be a positive integer, found a string");
        assertMessage(Map.of("num_key_value_heads", 3), "num_key_value_heads 3");
        assertMessage(Map.of("attention_dropout", 0.1), "attention_dropout");
        Map<String, Object> noHidden = new HashMap<>();
        noHidden.put("hidden_size", null);
        assertMessage(noHidden, "'hidden_size' is missing");
    }

    @Test
    void readsRopeFromTransformers4AndTransformers5Layouts() {
        Map<String, Object> v4 = Map.of("rope_theta", 500000.0, "rope_scaling", LLAMA3_SCALING);
        Map<String, Object> parameters = new HashMap<>(LLAMA3_SCALING);
        parameters.put("rope_theta", 500000.0);
        Map<String, Object> v5 = new HashMap<>();
        v5.put("rope_theta", null);
        v5.put("rope_parameters", parameters);
        LlamaConfig a = TinyConfigs.llamaConfig(v4);
        LlamaConfig b = TinyConfigs.llamaConfig(v5);
        assertEquals(a.rope(), b.rope());
        assertArrayEquals(a.rope().inverseFrequencies(8), b.rope().inverseFrequencies(8));
    }

    @Test
    void llama3ScalingKeepsHighFrequenciesAndDividesLowOnesByTheFactor() {
        Rope rope = TinyConfigs.llamaConfig(Map.of("rope_scaling", LLAMA3_SCALING)).rope();
        float[] plain = Rope.unscaled(10000).inverseFrequencies(16);
        float[] scaled = rope.inverseFrequencies(16);
        // wavelength 2π/invFreq: below 32/4 unchanged, above 32/1 divided by 8, smoothed between.
        assertEquals(plain[0], scaled[0]);
        assertEquals(plain[7] / 8, scaled[7], 1e-9);
        boolean smoothed = false;
        for (int i = 0; i < 8; i++) {
            double wavelen = 2 * Math.PI / plain[i];
            if (wavelen >= 8 && wavelen <= 32) {
                smoothed = true;
                assertTrue(scaled[i] < plain[i] && scaled[i] > plain[i] / 8, "index " + i);
            }
        }
        assertTrue(smoothed, "the test frequencies should cover the smoothed band");
    }

    @Test
    void appliesTransformersDefaults() {
        Map<String, Object> bare = new HashMap<>();
        bare.put("num_key_value_heads", null);
        bare.put("rope_theta", null);
        bare.put("rms_norm_eps", null);
        LlamaConfig config = TinyConfigs.llamaConfig(bare);
        assertEquals(4, config.numKvHeads());
        assertEquals(8, config.headDim());
        assertEquals(Rope.unscaled(10000.0), config.rope());
        assertEquals(1e-6, config.rmsNormEps());
        assertEquals(0, config.slidingWindow());
        Map<String, Object> mistral = new HashMap<>();
        mistral.put("architectures", List.of("MistralForCausalLM"));
        mistral.put("attention_bias", true);
        assertEquals(4096, TinyConfigs.llamaConfig(mistral).slidingWindow(), "MistralConfig's default window");
        assertFalse(TinyConfigs.llamaConfig(mistral).attentionBias(), "Mistral has no biases in transformers");
    }

    @Test
    void listsParametersInTransformersStateDictOrderAndCountsThem() throws Exception {
        JsonNode facts = new ObjectMapper().readTree(Golden.path("state_dicts.json").toFile());
        for (String[] pair : new String[][] {{"llama", "llama-gqa-bias"}, {"mistral", "mistral-tied-window"}}) {
            LlamaConfig config = LlamaConfig.from(ModelConfig.read(Golden.path(pair[1] + "/config.json")));
            List<String> expected = new ArrayList<>();
            facts.get(pair[0]).get("state_dict_keys").forEach(k -> expected.add(k.asText()));
            if (config.tieWordEmbeddings()) {
                expected.remove("lm_head.weight");
            }
            assertEquals(expected, config.parameters().stream().map(ParameterSpec::name).toList(), pair[0]);
            assertEquals(facts.get(pair[0]).get("num_parameters").asLong(), config.parameterCount(), pair[0]);
        }
    }

    private static void assertMessage(Map<String, Object> overrides, String expected) {
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                () -> TinyConfigs.llamaConfig(overrides));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
