package sn37.miner.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A model's generation_config.json, kept whole as JSON. Immutable: the accessor copies. */
public record GenerationConfig(ObjectNode json) {

    /** The token ids transformers' {@code GenerationConfig.from_model_config} carries over from config.json. */
    private static final List<String> TOKEN_IDS =
            List.of("bos_token_id", "decoder_start_token_id", "eos_token_id", "pad_token_id");

    public GenerationConfig {
        json = json.deepCopy();
    }

    @Override
    public ObjectNode json() {
        return json.deepCopy();
    }

    public static GenerationConfig read(Path file) throws IOException {
        return new GenerationConfig(ConfigJson.readObject(file));
    }

    /**
     * What {@code save_pretrained} writes for a model whose generation config came from its
     * config.json: {@code _from_model_config: true} and the token ids that are set (an id may
     * be a list, as Llama 3's {@code eos_token_id} is); the version is added on write.
     */
    public static GenerationConfig fromModelConfig(ModelConfig config) {
        ObjectNode model = config.json();
        ObjectNode json = ConfigJson.emptyObject();
        json.put("_from_model_config", true);
        for (String key : TOKEN_IDS) {
            JsonNode id = model.get(key);
            if (id != null && !id.isNull()) {
                json.set(key, id);
            }
        }
        return new GenerationConfig(json);
    }

    public GenerationConfig withTransformersVersion(String version) {
        ObjectNode copy = json.deepCopy();
        copy.put("transformers_version", version);
        return new GenerationConfig(copy);
    }

    /** The file as transformers writes it: {@code json.dumps(indent=2, sort_keys=True) + "\n"}. */
    public byte[] toBytes() {
        return ConfigJson.bytes(json);
    }
}
