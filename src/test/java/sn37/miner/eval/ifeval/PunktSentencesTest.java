package sn37.miner.eval.ifeval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PunktSentencesTest {

    static List<JsonNode> texts() {
        return Golden.list("punkt");
    }

    @ParameterizedTest
    @MethodSource("texts")
    void sentencesEqualNltksUntrainedPunktTokenizer(JsonNode v) {
        assertEquals(Golden.strings(v.get("sentences")), PunktSentences.sentences(v.get("text").asText()));
    }

    @Test
    void initialsBeforeACapitalDoNotEndASentenceButOtherWordsDo() {
        assertEquals(1, PunktSentences.count("J. Smith left"));
        assertEquals(2, PunktSentences.count("Jo. Smith left"));
    }

    @Test
    void aNumberBeforeALowerCaseWordDoesNotEndASentence() {
        assertEquals(1, PunktSentences.count("It was 1999. then it ended"));
        assertEquals(2, PunktSentences.count("It was 1999. Then it ended"));
    }
}
