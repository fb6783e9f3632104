package sn37.miner.model.llama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import sn37.miner.model.ModelConfig;

/**
 * The settings of a Llama-family causal LM, read from config.json with transformers' defaults
 * ({@code LlamaConfig} and {@code MistralConfig} of transformers 4.44). Both architectures compute
 * the same function except that Mistral masks attention outside its {@code sliding_window} and
 * has no biases. A setting this implementation does not compute is an {@link UnsupportedModelException}.
 *
 * @param headDim per-head width: {@code head_dim}, or hidden_size / num_attention_heads
 * @param slidingWindow Mistral's attention window in tokens; 0 for none (always 0 for Llama)
 */
public record LlamaConfig(
        String architecture,
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        int maxPositions,
        double rmsNormEps,
        Rope rope,
        boolean tieWordEmbeddings,
        boolean attentionBias,
        boolean mlpBias,
        int slidingWindow,
        double initializerRange,
        ModelConfig source) {

    public static final String LLAMA = "LlamaForCausalLM";
    public static final String MISTRAL = "MistralForCausalLM";
    public static final Set<String> ARCHITECTURES = Set.of(LLAMA, MISTRAL);

    public LlamaConfig {
        if (numHeads % numKvHeads != 0) {
            throw new UnsupportedModelException("config.json: num_attention_heads " + numHeads
                    + " is not a multiple of num_key_value_heads " + numKvHeads);
        }
        if (headDim % 2 != 0) {
            throw new UnsupportedModelException("config.json: head_dim " + headDim + " must be even for rotary"
                    + " embeddings");
        }
    }

    public static LlamaConfig from(ModelConfig config) {
        ObjectNode json = config.json();
        List<String> architectures = config.architectures();
        if (architectures.isEmpty()) {
            throw new UnsupportedModelException("config.json has no 'architectures': expected [\"" + LLAMA
                    + "\"] or [\"" + MISTRAL + "\"]");
        }
        String architecture = architectures.get(0);
        if (!ARCHITECTURES.contains(architecture)) {
            // the name is the file's text, so it is not repeated here
            throw new UnsupportedModelException("config.json 'architectures'[0] is not a supported architecture:"
                    + " this miner loads and trains " + LLAMA + " and " + MISTRAL);
        }
        boolean mistral = architecture.equals(MISTRAL);
        String act = json.path("hidden_act").asText("silu");
        if (!act.equals("silu")) {
            throw new UnsupportedModelException("config.json: this hidden_act is not supported (only silu,"
                    + " the SwiGLU of Llama and Mistral)");
        }
        double dropout = json.path("attention_dropout").asDouble(0);
        if (dropout != 0) {
            throw new UnsupportedModelException("config.json: attention_dropout " + dropout + " is not supported"
                    + " (only 0.0); set it to 0.0 to fine-tune this model here");
        }
        int hidden = positiveInt(json, "hidden_size", null);
        int heads = positiveInt(json, "num_attention_heads", null);
        JsonNode headDimNode = json.get("head_dim");
        int headDim = headDimNode == null || headDimNode.isNull() ? hidden / heads : positiveInt(json, "head_dim", null);
        if (headDimNode == null || headDimNode.isNull()) {
            if (hidden % heads != 0) {
                throw new UnsupportedModelException("config.json: hidden_size " + hidden
                        + " is not a multiple of num_attention_heads " + heads + " and no head_dim is given");
            }
        }
        JsonNode window = json.get("sliding_window");
        // MistralConfig's default window (4.44) applies when the key is missing; Llama has none.
        int slidingWindow = !mistral ? 0 : window == null ? 4096 : window.isNull() ? 0
                : positiveInt(json, "sliding_window", null);
        return new LlamaConfig(
                architecture,
                positiveInt(json, "vocab_size", null),
                hidden,
                positiveInt(json, "intermediate_size", null),
                positiveInt(json, "num_hidden_layers", null),
                heads,
                positiveInt(json, "num_key_value_heads", heads),
                headDim,
                positiveInt(json, "max_position_embeddings", mistral ? 4096 * 32 : 2048),
                positiveDouble(json, "rms_norm_eps", 1e-6),
                Rope.parse(json, 10000.0),
                bool(json, "tie_word_embeddings", false),
                !mistral && bool(json, "attention_bias", false),
                !mistral && bool(json, "mlp_bias", false),
                slidingWindow,
                positiveDouble(json, "initializer_range", 0.02),
                config);
    }

    public int kvGroups() {
        return numHeads / numKvHeads;
    }

    /** Name and shape of every parameter in {@code state_dict()} order; lm_head is left out when tied. */
    public List<ParameterSpec> parameters() {
        List<ParameterSpec> specs = new ArrayList<>();
        specs.add(new ParameterSpec("model.embed_tokens.weight", vocabSize, hiddenSize));
        for (int layer = 0; layer < numLayers; layer++) {
            String attn = "model.layers." + layer + ".self_attn.";
            linear(specs, attn + "q_proj", numHeads * headDim, hiddenSize, attentionBias);
            linear(specs, attn + "k_proj", numKvHeads * headDim, hiddenSize, attentionBias);
            linear(specs, attn + "v_proj", numKvHeads * headDim, hiddenSize, attentionBias);
            linear(specs, attn + "o_proj", hiddenSize, numHeads * headDim, attentionBias);
            String mlp = "model.layers." + layer + ".mlp.";
            linear(specs, mlp + "gate_proj", intermediateSize, hiddenSize, mlpBias);
            linear(specs, mlp + "up_proj", intermediateSize, hiddenSize, mlpBias);
            linear(specs, mlp + "down_proj", hiddenSize, intermediateSize, mlpBias);
            specs.add(new ParameterSpec("model.layers." + layer + ".input_layernorm.weight", hiddenSize));
            specs.add(new ParameterSpec("model.layers." + layer + ".post_attention_layernorm.weight", hiddenSize));
        }
        specs.add(new ParameterSpec("model.norm.weight", hiddenSize));
        if (!tieWordEmbeddings) {
            specs.add(new ParameterSpec("lm_head.weight", vocabSize, hiddenSize));
        }
        return specs;
    }

    /** Parameters as transformers' {@code num_parameters()} counts them (a tied head once). */
    public long parameterCount() {
        return parameters().stream().mapToLong(ParameterSpec::elementCount).sum();
    }

    private static void linear(List<ParameterSpec> specs, String name, int out, int in, boolean bias) {
        specs.add(new ParameterSpec(name + ".weight", out, in));
        if (bias) {
            specs.add(new ParameterSpec(name + ".bias", out));
        }
    }

    private static int positiveInt(JsonNode json, String key, Integer fallback) {
        JsonNode node = json.get(key);
        if (node == null || node.isNull()) {
            if (fallback == null) {
                throw new UnsupportedModelException("config.json: '" + key + "' is missing");
            }
            return fallback;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.intValue() < 1) {
            throw new UnsupportedModelException("config.json: '" + key + "' must be a positive integer, found " + shown(node));
        }
        return node.intValue();
    }

    private static double positiveDouble(JsonNode json, String key, double fallback) {
        JsonNode node = json.get(key);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isNumber() || !(node.doubleValue() > 0) || Double.isInfinite(node.doubleValue())) {
            throw new UnsupportedModelException("config.json: '" + key + "' must be a positive number, found " + shown(node));
        }
        return node.doubleValue();
    }

    private static boolean bool(JsonNode json, String key, boolean fallback) {
        JsonNode node = json.get(key);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw new UnsupportedModelException("config.json: '" + key + "' must be true or false, found " + shown(node));
        }
        return node.booleanValue();
    }

    /** A number or boolean as it is; any other value only by its kind, since its text could be anything. */
    private static String shown(JsonNode node) {
        if (node.isNumber() || node.isBoolean()) {
            return node.toString();
        }
        return node.isTextual() ? "a string" : node.isArray() ? "an array" : node.isObject() ? "an object" : "null";
    }
}
