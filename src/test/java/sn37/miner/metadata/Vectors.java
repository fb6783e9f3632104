package sn37.miner.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Loads the shared fixture vectors (copied from fixtures/hash and fixtures/metadata) and rebuilds their content. */
final class Vectors {

    private Vectors() {
    }

    static JsonNode hash() {
        return load("/metadata/hash/vectors.json");
    }

    static JsonNode metadata() {
        return load("/metadata/metadata/vectors.json");
    }

    static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    /** Regenerates the bytes of a {@code content} object: utf8, hex, repeat or sha256chain (see the README). */
    static byte[] content(JsonNode content) {
        String type = content.get("type").asText();
        switch (type) {
            case "utf8":
                return content.get("text").asText().getBytes(StandardCharsets.UTF_8);
            case "hex":
                return HexFormat.of().parseHex(content.get("hex").asText());
            case "repeat":
                return content.get("unit").asText().repeat(content.get("count").asInt()).getBytes(StandardCharsets.UTF_8);
            case "sha256chain":
                return sha256Chain(content.get("seed").asText(), content.get("length").asInt());
            default:
                throw new IllegalArgumentException("unknown content type '" + type + "' in " + content);
        }
    }

    /** Writes a vector directory's files and empty directories under {@code root}. */
    static void materialize(JsonNode directory, Path root) throws IOException {
        for (JsonNode file : directory.get("files")) {
            Path target = root.resolve(file.get("path").asText());
            Files.createDirectories(target.getParent());
            Files.write(target, content(file.get("content")));
        }
        for (JsonNode empty : directory.get("empty_dirs")) {
            Files.createDirectories(root.resolve(empty.asText()));
        }
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static byte[] sha256Chain(String seed, int length) {
        MessageDigest digest = Sha256.newDigest();
        byte[] out = new byte[length];
        byte[] block = digest.digest(seed.getBytes(StandardCharsets.UTF_8));
        for (int at = 0; at < length; at += block.length) {
            System.arraycopy(block, 0, out, at, Math.min(block.length, length - at));
            block = digest.digest(block);
        }
        return out;
    }

    private static JsonNode load(String resource) {
        try (InputStream in = Vectors.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + resource + " is missing from the classpath");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read test resource " + resource, e);
        }
    }
}
