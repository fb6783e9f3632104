package sn37.miner.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import sn37.miner.chain.runtime.RuntimeMetadata;
import sn37.miner.chain.scale.Hex;

/** Test access to the chain fixtures under src/test/resources/chain (see README.md there). */
public final class ChainFixtures {
    public static final String FINNEY_V14 = "finney-spec343-metadata-v14.hex";
    public static final String FINNEY_V15 = "finney-spec343-metadata-at-version-15.hex";
    public static final String RAONET_V14 = "raonet-spec218-metadata-v14.hex";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Object> CACHE = new ConcurrentHashMap<>();

    private ChainFixtures() {}

    public static JsonNode vectors() {
        return (JsonNode) CACHE.computeIfAbsent("vectors.json", ChainFixtures::readJson);
    }

    public static JsonNode chopsticks() {
        return (JsonNode) CACHE.computeIfAbsent("chopsticks-e2e.json", ChainFixtures::readJson);
    }

    /** Decoded once per test run; the V15 file goes through the {@code Metadata_metadata_at_version} path. */
    public static RuntimeMetadata metadata(String file) {
        return (RuntimeMetadata) CACHE.computeIfAbsent(file, f -> {
            byte[] bytes = Hex.decode(new String(read(f), StandardCharsets.US_ASCII));
            return f.equals(FINNEY_V15) ? RuntimeMetadata.decodeMetadataAtVersion(bytes) : RuntimeMetadata.decode(bytes);
        });
    }

    public static byte[] metadataBytes(String file) {
        return Hex.decode(new String(read(file), StandardCharsets.US_ASCII));
    }

    public static byte[] hex(JsonNode node) {
        return Hex.decode(node.asText());
    }

    /** The vectors' key entry named {@code name} (test-hotkey-1, alice, dev-phrase-root). */
    public static JsonNode key(String name) {
        for (JsonNode key : vectors().get("keys")) {
            if (key.get("name").asText().equals(name)) {
                return key;
            }
        }
        throw new IllegalArgumentException("no key named " + name + " in vectors.json");
    }

    private static Object readJson(String file) {
        try {
            return JSON.readTree(read(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(String file) {
        try (InputStream in = ChainFixtures.class.getResourceAsStream("/chain/" + file)) {
            if (in == null) {
                throw new IllegalStateException("test resource /chain/" + file + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
