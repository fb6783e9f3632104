package sn37.miner.eval.ifeval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SequenceMatcherTest {

    static List<JsonNode> pairs() {
        return Golden.list("difflib");
    }

    @ParameterizedTest
    @MethodSource("pairs")
    void ratioEqualsPythonsDifflibWithSpacesAndTabsAsJunk(JsonNode v) {
        String a = v.get("a").asText();
        String b = v.get("b").asText();
        assertEquals(v.get("junk").asDouble(), new SequenceMatcher(c -> c == ' ' || c == '\t', a, b).ratio());
    }

    @ParameterizedTest
    @MethodSource("pairs")
    void ratioEqualsPythonsDifflibWithoutJunk(JsonNode v) {
        assertEquals(v.get("plain").asDouble(), new SequenceMatcher(null, v.get("a").asText(), v.get("b").asText())
                .ratio());
    }

    @Test
    void autojunkIgnoresElementsThatFillMoreThanOnePercentOfALongSecondString() {
        // b has 250 elements, so an element seen more than 3 times is popular and cannot start a match
        assertEquals(0.0, new SequenceMatcher(null, "yxxxx", "x".repeat(250)).ratio());
        assertEquals(2.0 * 4 / (5 + 199), new SequenceMatcher(null, "yxxxx", "x".repeat(199)).ratio());
        // but an empty match at the ranges' start is still widened over equal popular elements, as in Python
        assertEquals(2.0 * 4 / (4 + 250), new SequenceMatcher(null, "xxxx", "x".repeat(250)).ratio());
    }

    @Test
    void identicalStringsMatchFullyAndEmptyStringsCountAsEqual() {
        assertEquals(1.0, new SequenceMatcher(null, "same text", "same text").ratio());
        assertEquals(1.0, new SequenceMatcher(null, "", "").ratio());
    }
}
