package sn37.miner.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

class SecureHashTest {

    @TestFactory
    Stream<DynamicTest> matchesEverySecureHashVector() {
        return Vectors.list(Vectors.hash().get("secure_hash_vectors")).stream()
                .map(
                        v ->
                                DynamicTest.dynamicTest(
                                        "'" + v.get("string1").asText() + "' + '" + v.get("string2").asText() + "'",
                                        () ->
                                                assertEquals(
                                                        v.get("secure_hash").asText(),
                                                        SecureHash.of(
                                                                v.get("string1").asText(), v.get("string2").asText()))));
    }

    @TestFactory
    Stream<DynamicTest> saltsEachVectorDirectoryHashWithTheHotkey() {
        return Vectors.list(Vectors.hash().get("directories")).stream()
                .flatMap(dir -> Vectors.list(dir.get("secure_hashes")).stream().map(s -> check(dir, s)));
    }

    private static DynamicTest check(JsonNode dir, JsonNode salted) {
        return DynamicTest.dynamicTest(
                dir.get("name").asText() + " / " + salted.get("hotkey").asText(),
                () ->
                        assertEquals(
                                salted.get("secure_hash").asText(),
                                SecureHash.of(dir.get("dir_hash").asText(), salted.get("hotkey").asText())));
    }
}
