package sn37.miner.metadata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class ModelIdTest {

    private static final String COMMIT = "8b4d1d0e5f3c2a1b9e7d6c5b4a39281706f5e4d3";
    private static final String SECURE = "7YTjH3R18Va0NUgw93z9KIHmfCvgmeejv4v2dybEDUw=";

    @TestFactory
    Stream<DynamicTest> parsesEveryParseVectorAsTaoverse() {
        return Vectors.list(Vectors.metadata().get("parse")).stream()
                .map(v -> DynamicTest.dynamicTest(v.get("note").asText(), () -> checkParse(v)));
    }

    private static void checkParse(JsonNode v) {
        Optional<ModelId> parsed =
                ModelId.fromCompressedString(v.get("input").asText(), v.get("default_competition_id").asInt());
        if (!v.get("ok").asBoolean()) {
            assertEquals(Optional.empty(), parsed, "expected " + v.get("error").asText());
            return;
        }
        JsonNode e = v.get("expected");
        ModelId expected =
                new ModelId(
                        e.get("namespace").asText(),
                        e.get("name").asText(),
                        textOrNull(e.get("commit")),
                        textOrNull(e.get("hash")),
                        textOrNull(e.get("secure_hash")),
                        e.get("competition_id").intValue());
        assertTrue(e.get("competition_id").canConvertToInt());
        assertEquals(Optional.of(expected), parsed);
        assertEquals(v.get("to_compressed_str").asText(), parsed.get().toCompressedString());
        assertEquals(v.get("to_compressed_str_utf8_bytes").asInt(), parsed.get().chainBytes());
    }

    @TestFactory
    Stream<DynamicTest> serializesEverySerializeVectorAsTaoverse() {
        return Vectors.list(Vectors.metadata().get("serialize")).stream()
                .map(v -> DynamicTest.dynamicTest(v.get("expected").asText(), () -> checkSerialize(v)));
    }

    private static void checkSerialize(JsonNode v) {
        JsonNode m = v.get("model_id");
        ModelId id =
                new ModelId(
                        m.get("namespace").asText(),
                        m.get("name").asText(),
                        textOrNull(m.get("commit")),
                        textOrNull(m.get("hash")),
                        textOrNull(m.get("secure_hash")),
                        m.get("competition_id").intValue());
        assertEquals(v.get("expected").asText(), id.toCompressedString());
        assertEquals(v.get("utf8_bytes").asInt(), id.chainBytes());
        assertEquals(v.get("fits_chain_limit_128").asBoolean(), id.fitsChain());
        assertArrayEquals(v.get("expected").asText().getBytes(StandardCharsets.UTF_8), id.toChainBytes());
    }

    @Test
    void derivesTheRepoIdBudgetFromTheChainLimit() {
        JsonNode constants = Vectors.metadata().get("constants");
        assertEquals(constants.get("MAX_METADATA_BYTES").asInt(), ModelId.MAX_CHAIN_BYTES);
        assertEquals(constants.get("MAX_REPO_ID_LENGTH").asInt(), ModelId.MAX_REPO_ID_LENGTH);
    }

    @Test
    void readsPythonIntQuirksInTheCompetitionId() {
        assertEquals(3, competitionOf("\u0663"));
        assertEquals(12, competitionOf("\uFF11\uFF12"));
        assertEquals(4, competitionOf("\t4\n"));
        assertEquals(Integer.MAX_VALUE, competitionOf("2147483647"));
        assertEquals(Integer.MIN_VALUE, competitionOf("-2147483648"));
    }

    @Test
    void treatsACompetitionIdBeyondTheIntRangeAsAbsentMetadata() {
        assertEquals(Optional.empty(), ModelId.fromCompressedString(prefix() + "2147483648", 0));
        assertEquals(Optional.empty(), ModelId.fromCompressedString(prefix() + "99999999999999999999", 0));
        assertEquals(2, competitionOf("0".repeat(40) + "2"));
    }

    @Test
    void roundTripsItsOwnCompressedString() {
        ModelId id = new ModelId("alice", "my-7b", COMMIT, null, SECURE, 2);
        assertEquals(Optional.of(id), ModelId.fromCompressedString(id.toCompressedString(), 0));
    }

    @Test
    void neverWritesTheDirectoryHash() {
        ModelId id = new ModelId("alice", "my-7b", COMMIT, "dir-hash-stays-local", SECURE, 2);
        assertFalse(id.toCompressedString().contains("dir-hash-stays-local"));
    }

    @Test
    void countsChainBytesInUtf8() {
        ModelId id = new ModelId("\u00E9", "\uD83D\uDE00", null, null, null, 2);
        assertEquals("\u00E9:\uD83D\uDE00:None:None:2", id.toCompressedString());
        assertEquals(2 + 1 + 4 + 1 + 4 + 1 + 4 + 1 + 1, id.chainBytes());
    }

    @Test
    void refusesChainBytesOverTheLimitNamingTheStringAndItsSize() {
        ModelId id = new ModelId("my-org", "a".repeat(34), "0".repeat(40), null, SECURE, 2);
        assertEquals(129, id.chainBytes());
        assertFalse(id.fitsChain());
        IllegalStateException e = assertThrows(IllegalStateException.class, id::toChainBytes);
        assertTrue(e.getMessage().contains(id.toCompressedString()), e.getMessage());
        assertTrue(e.getMessage().contains("129 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("at most 128"), e.getMessage());
    }

    @Test
    void acceptsExactly128ChainBytes() {
        ModelId id = new ModelId("my-org", "a".repeat(33), "0".repeat(40), null, SECURE, 2);
        assertEquals(128, id.toChainBytes().length);
    }

    @Test
    void refusesALoneSurrogateThatPythonCouldNotEncode() {
        ModelId id = new ModelId("bad\uD800", "name", null, null, null, 2);
        assertThrows(IllegalStateException.class, id::toChainBytes);
    }

    @Test
    void defaultsTheLegacyFormToCompetitionZero() {
        Optional<ModelId> id = ModelId.fromCompressedString("alice:my-7b:" + COMMIT + ":" + SECURE);
        assertEquals(0, id.orElseThrow().competitionId());
        assertEquals(SECURE, id.orElseThrow().hash());
    }

    @Test
    void requiresANamespaceAndAName() {
        assertThrows(NullPointerException.class, () -> new ModelId(null, "n", null, null, null, 2));
        assertThrows(NullPointerException.class, () -> new ModelId("ns", null, null, null, null, 2));
    }

    private static String prefix() {
        return "alice:my-7b:" + COMMIT + ":" + SECURE + ":";
    }

    private static int competitionOf(String token) {
        return ModelId.fromCompressedString(prefix() + token, 0).orElseThrow().competitionId();
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
