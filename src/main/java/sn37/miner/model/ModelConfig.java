package sn37.miner.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A model's config.json, kept whole as JSON, with typed access to the keys this package uses.
 * Immutable: the accessor and the {@code with*} methods copy.
 */
public record ModelConfig(ObjectNode json) {

    public ModelConfig {
        json = json.deepCopy();
    }

    @Override
    public ObjectNode json() {
        return json.deepCopy();
    }

    /** Reads config.json, checking that {@code architectures} and {@code torch_dtype} have their types. */
    public static ModelConfig read(Path file) throws IOException {
        ObjectNode json = ConfigJson.readObject(file);
        JsonNode architectures = json.get("architectures");
        if (architectures != null && !architectures.isNull()) {
            boolean strings = architectures.isArray();
            for (JsonNode element : architectures) {
                strings &= element.isTextual();
            }
            if (!strings) {
                throw new CheckpointFormatException(file, "'architectures' must be an array of class names (strings)");
            }
        }
        for (String key : List.of("torch_dtype", "dtype")) {
            JsonNode dtype = json.get(key);
            if (dtype != null && !dtype.isNull() && !dtype.isTextual()) {
                throw new CheckpointFormatException(file, "'" + key + "' must be a string such as \"bfloat16\", found "
                        + dtype.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return new ModelConfig(json);
    }

    /** Model class names; validators load {@code architectures[0]}. Empty when absent. */
    public List<String> architectures() {
        List<String> names = new ArrayList<>();
        JsonNode node = json.get("architectures");
        if (node != null && node.isArray()) {
            node.forEach(element -> names.add(element.asText()));
        }
        return List.copyOf(names);
    }

    /** {@code torch_dtype}, or {@code dtype} as transformers 4.56 and later name it. */
    public Optional<String> torchDtype() {
        for (String key : List.of("torch_dtype", "dtype")) {
            JsonNode node = json.get(key);
            if (node != null && node.isTextual()) {
                return Optional.of(node.textValue());
            }
        }
        return Optional.empty();
    }

    /** The integer under {@code key}, when it is one. */
    public Optional<Long> longValue(String key) {
        JsonNode node = json.get(key);
        return node != null && node.isIntegralNumber() && node.canConvertToLong()
                ? Optional.of(node.longValue()) : Optional.empty();
    }

    public ModelConfig withArchitectures(List<String> names) {
        ObjectNode copy = json.deepCopy();
        ArrayNode array = copy.putArray("architectures");
        names.forEach(array::add);
        return new ModelConfig(copy);
    }

    /** Sets {@code torch_dtype}, dropping a newer transformers' {@code dtype} that would say the same. */
    public ModelConfig withTorchDtype(String torchDtype) {
        ObjectNode copy = json.deepCopy();
        if (copy.path("dtype").isTextual()) {
            copy.remove("dtype");
        }
        copy.put("torch_dtype", torchDtype);
        return new ModelConfig(copy);
    }

    public ModelConfig withTransformersVersion(String version) {
        ObjectNode copy = json.deepCopy();
        copy.put("transformers_version", version);
        return new ModelConfig(copy);
    }

    /** The file as transformers writes it: {@code json.dumps(indent=2, sort_keys=True) + "\n"}. */
    public byte[] toBytes() {
        return ConfigJson.bytes(json);
    }
}
