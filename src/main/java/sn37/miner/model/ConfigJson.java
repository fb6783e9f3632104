package sn37.miner.model;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import sn37.miner.io.InputFileException;
import sn37.miner.io.InputFiles;
import sn37.miner.io.JsonSyntax;

/** Reads and writes the JSON files of a checkpoint directory the way transformers does. */
final class ConfigJson {

    /** Python's json accepts NaN and Infinity, and so do transformers' files. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ConfigJson() {
    }

    static ObjectNode emptyObject() {
        return MAPPER.createObjectNode();
    }

    /** Reads a JSON object of at most {@link InputFiles#SMALL_FILE_CAP} bytes; errors never quote the file. */
    static ObjectNode readObject(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "expected a JSON file");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(InputFiles.readUtf8(file, InputFiles.SMALL_FILE_CAP, "JSON file"));
        } catch (InputFileException e) {
            throw new CheckpointFormatException(file, e.reason());
        } catch (JacksonException e) {
            // no cause: Jackson's message quotes the file's text
            throw new CheckpointFormatException(file, "not valid JSON (" + JsonSyntax.describe(e) + ")");
        }
        if (root == null || !root.isObject()) {
            throw new CheckpointFormatException(file, "expected a JSON object");
        }
        return (ObjectNode) root;
    }

    /** {@code json.dumps(value, indent=2, sort_keys=True) + "\n"}, as ASCII bytes. */
    static byte[] bytes(JsonNode value) {
        return (PythonJson.dumps(value) + "\n").getBytes(StandardCharsets.US_ASCII);
    }
}
