package sn37.miner.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import sn37.miner.data.McSample;
import sn37.miner.eval.ifeval.IfEvalSamples;
import sn37.miner.eval.ifeval.Rule;

class IfEvalTest {

    private static final int VOCAB = 512;
    private static final List<Rule> TWO_RULES = List.of(new Rule.NoCommas(), new Rule.Quotation());
    private static final IfEvalSamples.Sample SAMPLE = new IfEvalSamples.Sample("p1", "p2", TWO_RULES);
    /** Both rules met, and only the first: far apart (similarity well below 0.6). */
    private static final List<String> GOOD_AND_HALF = List.of("\"plants use sunlight\"", "Mitochondria burn sugar");

    /** Five SN1-style questions without the one-shot example, so their answers parse. */
    static List<McSample> rows() {
        String[][] qa = {{"Which process makes food in plants", "Photosynthesis using sunlight"},
            {"What causes the seasons", "The tilt of the axis"}, {"What do bees collect", "Sweet nectar from flowers"},
            {"Why is the sky blue", "Rayleigh scattering of light"}, {"What do red cells carry", "Oxygen in the blood"},
            {"What measures heat", "A thermometer on the wall"}};
        List<McSample> rows = new ArrayList<>();
        for (String[] q : qa) {
            rows.add(new McSample(q[0] + "?\nA. Something else entirely\nB. " + q[1]
                    + "\nC. Another wrong option\nD. Not this either\nAnswer: ", "B"));
        }
        return rows;
    }

    @Test
    void eachResponseScoresOneMinusTheSquaredFractionOfRulesMetWeightedByRuleCount() {
        assertTrue(IfEval.similarity(GOOD_AND_HALF.get(0), GOOD_AND_HALF.get(1)) < 0.6);
        // response 0 meets 2 of 2 (0), response 1 meets 1 of 2 (1 - 0.25); each counted twice
        assertEquals(0.375, IfEval.score(List.of(GOOD_AND_HALF), List.of(SAMPLE)));
        IfEvalSamples.Sample threeRules = new IfEvalSamples.Sample("p1", "p2",
                List.of(new Rule.NoCommas(), new Rule.Quotation(), new Rule.WordCountAtLeast(1)));
        // sample 2 meets 3 of 3 and 2 of 3 (1 - 4/9): 4 + 6 entries
        double expected = (0 + 0 + 0.75 + 0.75 + 3 * 0 + 3 * (1 - 4.0 / 9)) / 10;
        assertEquals(expected, IfEval.score(List.of(GOOD_AND_HALF, GOOD_AND_HALF), List.of(SAMPLE, threeRules)),
                1e-15);
    }

    @Test
    void aSampleThatFailedScoresOneForEveryRuleOfBothResponses() {
        List<List<String>> responses = new ArrayList<>(List.of(GOOD_AND_HALF));
        responses.add(null);
        assertEquals((0.375 * 4 + 4) / 8, IfEval.score(responses, List.of(SAMPLE, SAMPLE)));
    }

    @Test
    void moreThanATenthOfNearDuplicatePairsScoresTheTaskOne() {
        List<String> duplicate = List.of("\"plants use sunlight\"", "\"plants use sunlight!\"");
        assertTrue(IfEval.similarity(duplicate.get(0), duplicate.get(1)) > 0.6);
        List<IfEvalSamples.Sample> ten = Collections.nCopies(10, SAMPLE);
        List<List<String>> oneDuplicate = new ArrayList<>(Collections.nCopies(10, GOOD_AND_HALF));
        oneDuplicate.set(3, duplicate);
        // 1 of 10 is not more than 10 %
        double scored = IfEval.score(oneDuplicate, ten);
        assertTrue(scored < 0.4, "one duplicate pair of ten is not penalised: " + scored);
        List<List<String>> twoDuplicates = new ArrayList<>(oneDuplicate);
        twoDuplicates.set(7, duplicate);
        assertEquals(1.0, IfEval.score(twoDuplicates, ten));
    }

    @Test
    void noSamplesScoreOneAsValidatorsReturn() {
        assertEquals(1.0, IfEval.score(List.of(), List.of()));
    }

    @Test
    void tinyModelScoresBetweenZeroAndOneAndBatchingChangesNoResponse() {
        List<IfEvalSamples.Sample> samples = IfEvalSamples.build(rows(), BigInteger.valueOf(5), 20);
        assertEquals(5, samples.size());
        TinyTransformer model = new TinyTransformer(new TinyTransformer.Config(VOCAB, 16, 2, 2, 32, 5));
        List<Integer> progress = new ArrayList<>();
        IfEval.Result r = IfEval.run(model, new WordEncoder(VOCAB), samples, EvalDtype.FLOAT32, 4, () -> false,
                progress::add);
        assertTrue(r.score() >= 0 && r.score() <= 1, "score " + r.score());
        assertEquals(0, r.failed());
        assertEquals(List.of(5), progress);
        for (IfEval.Pair p : r.pairs()) {
            assertEquals(2, p.responses().size());
            assertNull(p.error());
        }
        IfEval.Result alone = IfEval.run(model, new WordEncoder(VOCAB), samples, EvalDtype.FLOAT32, 1, () -> false,
                done -> {});
        assertEquals(r.pairs().stream().map(IfEval.Pair::responses).toList(),
                alone.pairs().stream().map(IfEval.Pair::responses).toList());
        assertEquals(r.score(), alone.score());
    }

    @Test
    void aModelThatGivesEveryPromptTheSameAnswerScoresOne() {
        List<IfEvalSamples.Sample> samples = IfEvalSamples.build(rows(), BigInteger.valueOf(5), 20);
        IfEval.Result r = IfEval.run(ScriptedModel.emitting(VOCAB, 4, 5, WordEncoder.EOS), new WordEncoder(VOCAB),
                samples, EvalDtype.FLOAT32, 4, () -> false, done -> {});
        assertEquals(samples.size(), r.duplicates());
        assertEquals(1.0, r.score());
        assertEquals("BC", r.pairs().get(0).responses().get(0));
    }

    @Test
    void aModelThatThrowsOnEverySampleScoresInfinity() {
        List<IfEvalSamples.Sample> samples = IfEvalSamples.build(rows(), BigInteger.valueOf(5), 20);
        IfEval.Result r = IfEval.run(ScriptedModel.throwing(VOCAB, "CUDA out of memory"), new WordEncoder(VOCAB),
                samples, EvalDtype.FLOAT32, 4, () -> false, done -> {});
        assertEquals(Double.POSITIVE_INFINITY, r.score());
        assertEquals(samples.size(), r.failed());
        assertNotNull(r.pairs().get(0).error());
        assertTrue(r.pairs().get(0).error().contains("CUDA out of memory"), r.pairs().get(0).error());
    }
}
