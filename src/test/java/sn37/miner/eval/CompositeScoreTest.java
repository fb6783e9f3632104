package sn37.miner.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import sn37.miner.competition.Competition;
import sn37.miner.competition.CompetitionId;
import sn37.miner.competition.CompetitionSchedule;

class CompositeScoreTest {

    /** B7 from block 4,250,808: MMLU 0.90, WORD_SORTING 0.05 (inverse-exp 40), FINEWEB 0.05 (inverse-exp 20). */
    private static final Competition B7_NOV_2024 =
            CompetitionSchedule.oct2024().find(CompetitionId.B7_MULTI_CHOICE, 4_250_808).orElseThrow();

    private static double inverseExp(double raw, double ceiling) {
        return (1 - Math.exp(-raw / ceiling)) / (1 - Math.exp(-1));
    }

    @Test
    void allTasksScoredIsTheWeightedSumOfNormalisedScores() {
        CompositeScore.Result r = CompositeScore.combine(B7_NOV_2024.tasks(), Map.of(
                "SYNTHETIC_MMLU", CompositeScore.Raw.of(0.2, 400),
                "WORD_SORTING", CompositeScore.Raw.of(2.0, 400),
                "FINEWEB", CompositeScore.Raw.of(25.0, 400)));
        double expected = 0.9 * 0.2 + 0.05 * inverseExp(2.0, 40) + 0.05 * 1.0;
        assertEquals(expected, r.score(), 1e-12);
        assertEquals(1.0, r.tasks().get(2).normalized(), "a raw score at or above the ceiling normalises to 1");
    }

    @Test
    void aSkippedTaskIsLeftOutAndTheOtherWeightsRenormalised() {
        CompositeScore.Result r = CompositeScore.combine(B7_NOV_2024.tasks(), Map.of(
                "SYNTHETIC_MMLU", CompositeScore.Raw.of(0.2, 400),
                "WORD_SORTING", CompositeScore.Raw.of(2.0, 400),
                "FINEWEB", CompositeScore.Raw.skipped("no fineweb rows")));
        assertEquals((0.9 * 0.2 + 0.05 * inverseExp(2.0, 40)) / 0.95, r.score(), 1e-12);
        TaskScore fineweb = r.tasks().get(2);
        assertEquals("no fineweb rows", fineweb.skipped());
        assertNull(fineweb.raw());
        assertEquals(0.9 / 0.95, r.tasks().get(0).appliedWeight(), 1e-12);
    }

    @Test
    void mmluAloneIsTheDeviationItself() {
        Competition oct = CompetitionSchedule.oct2024().find(CompetitionId.B7_MULTI_CHOICE, 0).orElseThrow();
        CompositeScore.Result r = CompositeScore.combine(oct.tasks(),
                Map.of("SYNTHETIC_MMLU", CompositeScore.Raw.of(0.35, 40)));
        assertEquals(0.35, r.score(), 1e-15);
    }

    @Test
    void nothingScoredCannotBeScored() {
        CompositeScore.Result r = CompositeScore.combine(B7_NOV_2024.tasks(), Map.of());
        assertEquals(Double.POSITIVE_INFINITY, r.score());
        assertEquals(List.of("SYNTHETIC_MMLU", "WORD_SORTING", "FINEWEB"),
                r.tasks().stream().map(TaskScore::name).toList());
    }

    @Test
    void anInfiniteUnnormalisedTaskMakesTheCompositeInfinite() {
        CompositeScore.Result r = CompositeScore.combine(B7_NOV_2024.tasks(), Map.of(
                "SYNTHETIC_MMLU", CompositeScore.Raw.of(Double.POSITIVE_INFINITY, 400),
                "WORD_SORTING", CompositeScore.Raw.of(Double.POSITIVE_INFINITY, 400)));
        assertEquals(Double.POSITIVE_INFINITY, r.score());
    }
}
