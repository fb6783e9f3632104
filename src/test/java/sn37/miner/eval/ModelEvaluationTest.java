package sn37.miner.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import sn37.miner.competition.Competition;
import sn37.miner.competition.CompetitionId;
import sn37.miner.competition.CompetitionSchedule;
import sn37.miner.data.JsonlSampleSource;
import sn37.miner.data.McSample;

class ModelEvaluationTest {

    private static final int VOCAB = 512;
    /** INSTRUCT_8B after B7's sunset: MMLU 0.30, WORD_SORTING 0.05, FINEWEB 0.35, IF_EVAL_V2 0.30. */
    private static final Competition INSTRUCT = CompetitionSchedule.later()
            .find(CompetitionId.INSTRUCT_8B, 4_675_163)
            .orElseThrow();

    private static TaskScore task(ModelEvaluation.Report report, String name) {
        return report.score().tasks().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    private static ModelEvaluation.Report run(List<McSample> samples) {
        TinyTransformer model = new TinyTransformer(new TinyTransformer.Config(VOCAB, 16, 2, 2, 32, 5));
        ModelEvaluation.Plan plan = new ModelEvaluation.Plan(INSTRUCT, EvalDtype.FLOAT32, 8, BigInteger.valueOf(7), 2);
        return ModelEvaluation.run(model, new WordEncoder(VOCAB), samples, plan, () -> false);
    }

    @Test
    void ifEvalV2IsScoredOnPairsOfTheHeldOutQuestionsAndCountsInTheComposite() {
        ModelEvaluation.Report report = run(IfEvalTest.rows());
        TaskScore ifEval = task(report, ModelEvaluation.IF_EVAL_V2);
        assertNull(ifEval.skipped());
        assertNotNull(ifEval.raw());
        assertTrue(Double.isFinite(ifEval.raw()) && ifEval.raw() >= 0 && ifEval.raw() <= 1, "raw " + ifEval.raw());
        assertEquals(5, ifEval.samples(), "six questions give five consecutive pairs");
        // FINEWEB is skipped, so IF_EVAL_V2's 0.30 is renormalised over the 0.65 that was scored
        assertEquals(0.30 / 0.65, ifEval.appliedWeight(), 1e-12);
        assertTrue(Double.isFinite(report.score().score()));
    }

    @Test
    void sn1OneShotQuestionsLeaveIfEvalV2SkippedAsValidatorsDropIt() throws Exception {
        List<McSample> bundled = JsonlSampleSource.bundled().load().samples().subList(0, 4);
        TaskScore ifEval = task(run(bundled), ModelEvaluation.IF_EVAL_V2);
        assertNull(ifEval.raw());
        assertTrue(ifEval.skipped().contains("one-shot example"), ifEval.skipped());
    }
}
