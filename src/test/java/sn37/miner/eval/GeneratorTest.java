package sn37.miner.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GeneratorTest {

    private static final TinyTransformer MODEL =
            new TinyTransformer(new TinyTransformer.Config(61, 16, 2, 2, 24, 7));

    private static List<int[]> prompts(int... lengths) {
        SplittableRandom r = new SplittableRandom(3);
        List<int[]> out = new ArrayList<>();
        for (int n : lengths) out.add(r.ints(n, 1, 61).toArray());
        return out;
    }

    @Test
    void batchedGenerationMatchesOnePromptAtATimeOnMixedLengthPrompts() {
        List<int[]> prompts = prompts(1, 9, 4, 17, 6, 2);
        // EOS = the token the 9-token prompt generates first, so that row stops at once while others go on.
        int eos = new Generator(MODEL, new GenerationSettings(20, 0, 1.1f, 60, 60), EvalDtype.FLOAT32)
                .generateUncached(prompts.get(1))[0];
        Generator g = new Generator(MODEL, GenerationSettings.multipleChoice(eos), EvalDtype.FLOAT32);

        int[][] batched = g.generateBatch(prompts);

        boolean someStoppedEarly = false;
        boolean someRanFull = false;
        for (int i = 0; i < prompts.size(); i++) {
            int[] alone = g.generateBatch(List.of(prompts.get(i)))[0];
            assertArrayEquals(alone, batched[i], "row " + i + " batched vs alone");
            assertArrayEquals(g.generateUncached(prompts.get(i)), alone, "row " + i + " cached vs uncached");
            someStoppedEarly |= alone.length < 20;
            someRanFull |= alone.length == 20;
        }
        assertTrue(someStoppedEarly && someRanFull, "the case must mix finished and running rows");
        assertEquals(eos, batched[1][batched[1].length - 1], "a finished row ends with EOS");
        assertEquals(1, batched[1].length);
    }

    @Test
    void generateAllReturnsResultsInPromptOrderWhateverTheBatchSize() {
        List<int[]> prompts = prompts(5, 1, 12, 3, 8, 8, 2);
        Generator g = new Generator(MODEL, GenerationSettings.multipleChoice(0), EvalDtype.FLOAT32);
        List<Generator.Outcome> one = g.generateAll(prompts, 1);
        List<Generator.Outcome> three = g.generateAll(prompts, 3);
        for (int i = 0; i < prompts.size(); i++) {
            assertArrayEquals(g.generateUncached(prompts.get(i)), one.get(i).tokens());
            assertArrayEquals(one.get(i).tokens(), three.get(i).tokens());
        }
    }

    @Test
    void repetitionPenaltyFlipsTheArgmaxForPositiveScores() {
        // Token 1 leads 2.1 to 2.0, but it is in the prompt: 2.1 / 1.1 = 1.909 < 2.0, so token 0 wins.
        float[] logits = {2.0f, 2.1f, 1.0f, 0.5f};
        Generator g = new Generator(new ScriptedModel(logits), GenerationSettings.multipleChoice(3), EvalDtype.FLOAT32);
        assertEquals(0, g.generateBatch(List.of(new int[] {1, 2}))[0][0]);
        assertEquals(1, g.generateBatch(List.of(new int[] {2}))[0][0], "without token 1 in the prompt it wins");
    }

    @Test
    void repetitionPenaltyFlipsTheArgmaxForNegativeScores() {
        // Token 0 leads -1.0 to -1.05, but it is in the prompt: -1.0 × 1.1 = -1.1 < -1.05, so token 1 wins.
        float[] logits = {-1.0f, -1.05f, -3f, -4f};
        Generator g = new Generator(new ScriptedModel(logits), GenerationSettings.multipleChoice(3), EvalDtype.FLOAT32);
        assertEquals(1, g.generateBatch(List.of(new int[] {0}))[0][0]);
    }

    @Test
    void generatedTokensArePenalisedOnceHoweverOftenTheyAppear() {
        // The same logits every step: token 2 first; then, penalised to 1.82, it loses to token 1 (1.95); then
        // both are penalised once (1.82, 1.77) and token 2 wins again over token 3 (1.7).
        float[] logits = {0f, 1.95f, 2.0f, 1.7f};
        Generator g = new Generator(new ScriptedModel(logits), new GenerationSettings(3, 0, 1.1f, 0, 0),
                EvalDtype.FLOAT32);
        assertArrayEquals(new int[] {2, 1, 2}, g.generateBatch(List.of(new int[] {0}))[0]);
    }

    @Test
    void penaltyDividesAsCudaDoesByMultiplyingWithTheFloatReciprocal() {
        float reciprocal = 1.0f / 1.1f;
        float s = 1.0f;
        while (s * reciprocal == s / 1.1f) s = Math.nextUp(s);
        float[] scores = {s};
        RepetitionPenalty.apply(scores, new int[] {0}, 1.1f);
        assertEquals(s * reciprocal, scores[0]);
        assertNotEquals(s / 1.1f, scores[0]);
        assertEquals(0.90909088f, reciprocal);
    }

    @Test
    void minNewTokensSuppressesEosUntilReached() {
        float[] logits = {5f, 1f, 0.5f};
        Generator g = new Generator(new ScriptedModel(logits), new GenerationSettings(4, 2, 1.0f, 0, 0),
                EvalDtype.FLOAT32);
        assertArrayEquals(new int[] {1, 1, 0}, g.generateBatch(List.of(new int[] {2}))[0]);
    }

    @Test
    void argmaxTakesTheFirstOfEqualScoresAndPrefersNaN() {
        assertEquals(1, Greedy.argmax(new float[] {0f, 3f, 3f}));
        assertEquals(2, Greedy.argmax(new float[] {9f, 3f, Float.NaN, 10f}));
    }

    @Test
    void bfloat16RoundsLogitsBeforeChoosing() {
        // 1.0 and 1.001 are one bf16 value apart from nothing: both round to 1.0, and the first one wins.
        float[] logits = {0f, 1.0f, 1.001f};
        assertEquals(2, new Generator(new ScriptedModel(logits), new GenerationSettings(1, 0, 1f, 0, 0),
                EvalDtype.FLOAT32).generateBatch(List.of(new int[] {0}))[0][0]);
        assertEquals(1, new Generator(new ScriptedModel(logits), new GenerationSettings(1, 0, 1f, 0, 0),
                EvalDtype.BFLOAT16).generateBatch(List.of(new int[] {0}))[0][0]);
    }

    @Test
    void aFailingBatchFailsEachPromptAloneWithTheCause() {
        Generator g = new Generator(ScriptedModel.throwing(64, "out of memory"), GenerationSettings.multipleChoice(0),
                EvalDtype.FLOAT32);
        List<Generator.Outcome> out = g.generateAll(prompts(3, 4), 2);
        assertEquals(2, out.size());
        for (Generator.Outcome o : out) {
            assertNull(o.tokens());
            assertEquals("out of memory", o.error().getMessage());
        }
    }

    @Test
    void rejectsAnEosOutsideTheVocabulary() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Generator(MODEL, GenerationSettings.multipleChoice(100257), EvalDtype.FLOAT32));
        assertTrue(e.getMessage().contains("100257"), e.getMessage());
    }
}
