package sn37.miner.eval.ifeval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sn37.miner.data.JsonlSampleSource;
import sn37.miner.data.McSample;
import sn37.miner.eval.PythonRandom;

class IfEvalSamplesTest {

    static List<JsonNode> seeds() {
        return Golden.list("samples");
    }

    @Test
    void questionsAndAnswersParseAsFinetuningsExtractor() {
        List<McSample> rows = Golden.rows();
        List<JsonNode> expected = Golden.list("rows");
        for (int i = 0; i < rows.size(); i++) {
            Optional<QuestionAnswer> qa = QuestionAnswer.extract(rows.get(i));
            JsonNode parsed = expected.get(i).get("parsed");
            if (parsed.isNull()) {
                assertTrue(qa.isEmpty(), "row " + i);
            } else {
                assertEquals(new QuestionAnswer(parsed.get(0).asText(), parsed.get(1).asText()), qa.orElseThrow(),
                        "row " + i);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void promptsAndRulesEqualWhatFinetuningsRuleFactoryDrawsFromTheSameSeed(JsonNode v) {
        List<IfEvalSamples.Sample> samples = IfEvalSamples.build(Golden.rows(), new BigInteger(v.get("seed").asText()),
                IfEvalSamples.PAIRS);
        JsonNode expected = v.get("samples");
        assertEquals(expected.size(), samples.size());
        for (int i = 0; i < samples.size(); i++) {
            IfEvalSamples.Sample s = samples.get(i);
            assertEquals(Golden.strings(expected.get(i).get("rules")), s.rules().stream().map(r -> r.id().name())
                    .toList(), "sample " + i);
            assertEquals(expected.get(i).get("prompt_1").asText(), s.prompt1(), "sample " + i);
            assertEquals(expected.get(i).get("prompt_2").asText(), s.prompt2(), "sample " + i);
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void everyRuleJudgesTheResponsesAsFinetuningsRuleDoes(JsonNode v) {
        List<IfEvalSamples.Sample> samples = IfEvalSamples.build(Golden.rows(), new BigInteger(v.get("seed").asText()),
                IfEvalSamples.PAIRS);
        List<String> responses = Golden.strings(Golden.ROOT.get("responses"));
        for (int i = 0; i < samples.size(); i++) {
            List<Rule> rules = samples.get(i).rules();
            for (int index = 0; index < 2; index++) {
                for (int t = 0; t < responses.size(); t++) {
                    for (int r = 0; r < rules.size(); r++) {
                        boolean expected = v.get("samples").get(i).get("matches").get(index).get(t).get(r).asBoolean();
                        assertEquals(expected, rules.get(r).matches(responses.get(t), index),
                                "sample " + i + ", rule " + rules.get(r) + ", prompt " + index + ", response " + t);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("randomVectors")
    void shuffleAndChoiceDrawAsCpythonsRandomDoes(JsonNode v) {
        PythonRandom random = new PythonRandom(new BigInteger(v.get("seed").asText()));
        List<Integer> shuffled = new ArrayList<>(IntStream.range(0, 13).boxed().toList());
        random.shuffle(shuffled);
        List<Integer> expected = new ArrayList<>();
        v.get("shuffle_range13").forEach(n -> expected.add(n.asInt()));
        assertEquals(expected, shuffled);
        List<Integer> choices = new ArrayList<>();
        for (int i = 0; i < 10; i++) choices.add(random.choice(List.of(25, 30, 35, 40, 45)));
        List<Integer> expectedChoices = new ArrayList<>();
        v.get("choices_of_5").forEach(n -> expectedChoices.add(n.asInt()));
        assertEquals(expectedChoices, choices);
    }

    static List<JsonNode> randomVectors() {
        return Golden.list("random");
    }

    @Test
    void theSameSeedBuildsTheSameSamplesAndAnotherSeedOthers() {
        List<IfEvalSamples.Sample> once = IfEvalSamples.build(Golden.rows(), BigInteger.valueOf(123), 20);
        assertEquals(once, IfEvalSamples.build(Golden.rows(), BigInteger.valueOf(123), 20));
        assertNotEquals(once, IfEvalSamples.build(Golden.rows(), BigInteger.valueOf(124), 20));
    }

    @Test
    void everySampleHasTwoToFiveRulesThatDoNotConflict() {
        for (int seed = 0; seed < 20; seed++) {
            for (IfEvalSamples.Sample s : IfEvalSamples.build(Golden.rows(), BigInteger.valueOf(seed), 20)) {
                assertTrue(s.rules().size() >= 2 && s.rules().size() <= 5, s.toString());
                for (int k = 0; k < s.rules().size(); k++) {
                    assertTrue(!IfEvalSamples.conflicts(s.rules().get(k).id(), s.rules().subList(0, k)),
                            s.toString());
                }
                assertTrue(s.rules().stream().map(Rule::id).distinct().count() == s.rules().size());
            }
        }
    }

    @Test
    void pairsComeFromAtMostTwiceAsManyRowsAsPairsWanted() {
        // of the first four rows only 0 and 2 have a parsable answer of two or more words: one pair
        assertEquals(1, IfEvalSamples.build(Golden.rows(), BigInteger.ONE, 2).size());
        // all 16 rows hold 12 usable answers: 11 consecutive pairs
        assertEquals(11, IfEvalSamples.build(Golden.rows(), BigInteger.ONE, 20).size());
        assertEquals(List.of(), IfEvalSamples.build(Golden.rows().subList(0, 1), BigInteger.ONE, 20));
    }

    @Test
    void sn1OneShotChallengesGiveNoPairsBecauseTheParserReadsTheExamplesOneWordOptions() throws Exception {
        List<McSample> bundled = JsonlSampleSource.bundled().load().samples();
        assertEquals("What is the capital of Texas?", QuestionAnswer.extract(bundled.get(0)).orElseThrow().question());
        assertEquals(List.of(), IfEvalSamples.build(bundled, BigInteger.ONE, IfEvalSamples.PAIRS));
    }
}
