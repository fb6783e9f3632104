package sn37.miner.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn37.miner.data.JsonlSampleSource;
import sn37.miner.data.McSample;
import sn37.miner.model.LanguageModel;

/** The MC task on the bundled SN1 sample (src/main/resources/sn1/sample-mc.jsonl, 40 questions, 10 per letter). */
class MultipleChoiceTest {

    private static final int VOCAB = 512;
    private static List<McSample> samples;

    @BeforeAll
    static void load() throws Exception {
        samples = JsonlSampleSource.bundled().load().samples();
        assertEquals(40, samples.size());
    }

    private static MultipleChoice.Result run(LanguageModel model, int batchSize) {
        return MultipleChoice.run(model, new WordEncoder(VOCAB), samples, 4096, EvalDtype.FLOAT32, batchSize,
                () -> false);
    }

    @Test
    void tinyModelScoresADeviationBetweenZeroAndOneWithEveryQuestionRecorded() {
        TinyTransformer model = new TinyTransformer(new TinyTransformer.Config(VOCAB, 16, 2, 2, 32, 5));
        MultipleChoice.Result r = run(model, 8);
        assertTrue(r.deviation() >= 0 && r.deviation() <= 1, "deviation " + r.deviation());
        assertEquals(40, r.questions().size());
        assertEquals(0, r.failed());
        for (int i = 0; i < 40; i++) {
            MultipleChoice.Question q = r.questions().get(i);
            assertEquals(i, q.index());
            assertEquals(samples.get(i).id(), q.id());
            assertEquals(samples.get(i).reference(), q.reference());
            assertNotNull(q.generated());
            assertTrue(q.promptTokens() > 50, "the chat-templated challenge is tokenized");
            assertEquals(q.answer() != null && q.answer().equals(q.reference()), q.correct());
        }
        assertEquals(r.questions(), run(model, 1).questions(), "batched and one at a time agree question by question");
    }

    @Test
    void aModelThatAlwaysAnswersBIsRightOnAQuarter() {
        MultipleChoice.Result r = run(ScriptedModel.emitting(VOCAB, 4, WordEncoder.EOS), 8);
        assertEquals(10, r.correct());
        assertEquals(0.75, r.deviation(), 1e-12);
        assertEquals("B", r.questions().get(0).generated());
        assertEquals("B", r.questions().get(0).answer());
    }

    @Test
    void aModelThatThrowsOnEveryQuestionScoresInfinity() {
        MultipleChoice.Result r = run(ScriptedModel.throwing(VOCAB, "CUDA out of memory"), 8);
        assertEquals(Double.POSITIVE_INFINITY, r.deviation());
        assertEquals(40, r.failed());
        MultipleChoice.Question q = r.questions().get(3);
        assertFalse(q.correct());
        assertNull(q.generated());
        assertTrue(q.error().contains("CUDA out of memory"), q.error());
    }

    @Test
    void noQuestionsScoreOneAsValidatorsReturn() {
        MultipleChoice.Result r = MultipleChoice.run(ScriptedModel.emitting(VOCAB, 4), new WordEncoder(VOCAB),
                List.of(), 4096, EvalDtype.FLOAT32, 8, () -> false);
        assertEquals(1.0, r.deviation());
    }

    @Test
    void aLongChallengeIsCutFromTheLeftToTheSequenceLength() {
        MultipleChoice.Result r = MultipleChoice.run(ScriptedModel.emitting(VOCAB, 4), new WordEncoder(VOCAB),
                samples.subList(0, 2), 16, EvalDtype.FLOAT32, 8, () -> false);
        assertEquals(16, r.questions().get(0).promptTokens());
    }

    @Test
    void stopsWhenCancelled() {
        assertThrows(CancellationException.class, () -> MultipleChoice.run(ScriptedModel.emitting(VOCAB, 4),
                new WordEncoder(VOCAB), samples, 4096, EvalDtype.FLOAT32, 8, () -> true));
    }
}
