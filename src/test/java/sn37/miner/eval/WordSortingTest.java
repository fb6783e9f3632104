package sn37.miner.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class WordSortingTest {

    static List<JsonNode> vectors() throws Exception {
        return PythonRandomTest.vectors();
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void samplesEqualWhatFinetuningsLoaderBuildsFromTheSameSeed(JsonNode v) {
        List<WordSorting.Sample> samples = WordSorting.samples(new BigInteger(v.get("seed").asText()), 5);
        JsonNode expected = v.get("word_sorting");
        for (int i = 0; i < 5; i++) {
            assertEquals(expected.get(i).get(0).asText(), samples.get(i).challenge());
            assertEquals(expected.get(i).get(1).asText(), samples.get(i).reference());
        }
    }

    @Test
    void candidateWordsAreEnBasicWordsOfThreeLettersOrMore() {
        List<String> words = WordSorting.words();
        assertEquals(832, words.size());
        assertEquals("able", words.get(0));
        assertTrue(words.stream().allMatch(w -> w.length() >= 3 && w.equals(w.toLowerCase())));
    }

    @Test
    void everySampleHasTwoToTwentyDistinctWordsAndTheSortedReference() {
        for (WordSorting.Sample s : WordSorting.samples(BigInteger.valueOf(7), 400)) {
            String listed = s.challenge().substring(WordSorting.PROMPT.length(), s.challenge().length() - 2);
            List<String> words = List.of(listed.split(" "));
            assertTrue(words.size() >= 2 && words.size() <= 20, s.challenge());
            assertEquals(words.size(), words.stream().distinct().count());
            assertEquals(String.join(" ", words.stream().sorted().toList()), s.reference());
        }
    }
}
