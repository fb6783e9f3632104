package sn37.miner.eval.validation;

import java.util.Map;
import java.util.Optional;

/**
 * The class {@code AutoModelForCausalLM.from_pretrained} instantiates for a config's {@code model_type}
 * (transformers' {@code MODEL_FOR_CAUSAL_LM_MAPPING_NAMES}): validators check {@code type(model)}, which follows
 * {@code model_type}, not the {@code architectures} list. Only the types behind the competitions' allowed classes
 * are listed, with whether their config ties the word embeddings by default.
 */
final class ModelClass {

    record Known(String className, boolean tiesEmbeddingsByDefault) {}

    // Defaults from each *Config.__init__ (transformers 4.44): Llama, Mistral, Phi, Phi3 and GPTNeoX untie;
    // Gemma, Gemma2 and Falcon tie; Bart takes PretrainedConfig's default (True).
    private static final Map<String, Known> BY_MODEL_TYPE = Map.of(
            "llama", new Known("LlamaForCausalLM", false),
            "mistral", new Known("MistralForCausalLM", false),
            "bart", new Known("BartForCausalLM", true),
            "falcon", new Known("FalconForCausalLM", true),
            "gpt_neox", new Known("GPTNeoXForCausalLM", false),
            "phi", new Known("PhiForCausalLM", false),
            "phi3", new Known("Phi3ForCausalLM", false),
            "gemma", new Known("GemmaForCausalLM", true),
            "gemma2", new Known("Gemma2ForCausalLM", true));

    private ModelClass() {}

    static Optional<Known> of(String modelType) {
        return Optional.ofNullable(modelType == null ? null : BY_MODEL_TYPE.get(modelType));
    }
}
