package sn37.miner.model.llama;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import sn37.miner.model.ModelConfig;

/** Tiny config.json contents for tests that build their own models. */
public final class TinyConfigs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TinyConfigs() {
    }

    /** Llama, hidden 32, 2 layers, 4 heads over 2 KV heads, vocab 64; {@code overrides} replace keys (null removes). */
    public static ModelConfig llama(Map<String, Object> overrides) {
        ObjectNode json = JSON.createObjectNode();
        json.putArray("architectures").add("LlamaForCausalLM");
        json.put("model_type", "llama");
        json.put("vocab_size", 64);
        json.put("hidden_size", 32);
        json.put("intermediate_size", 48);
        json.put("num_hidden_layers", 2);
        json.put("num_attention_heads", 4);
        json.put("num_key_value_heads", 2);
        json.put("hidden_act", "silu");
        json.put("max_position_embeddings", 128);
        json.put("rms_norm_eps", 1e-5);
        json.put("rope_theta", 10000.0);
        json.put("tie_word_embeddings", false);
        json.put("bos_token_id", 1);
        json.put("eos_token_id", 2);
        overrides.forEach((key, value) -> {
            if (value == null) {
                json.remove(key);
            } else {
                json.set(key, JSON.valueToTree(value));
            }
        });
        return new ModelConfig(json);
    }

    public static LlamaConfig llamaConfig(Map<String, Object> overrides) {
        return LlamaConfig.from(llama(overrides));
    }
}
