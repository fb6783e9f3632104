package sn37.miner.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import sn37.miner.competition.ModelConstraints;

/** ε for B7 (0.05 → 0.01 over 36,000 blocks) and the beat-best decision, as validators' _is_win compares. */
class BeatBestTest {

    private static final ModelConstraints B7 = ModelConstraints.B7_OCT_2024; // eval delay 1200
    private static final long INCUMBENT_BLOCK = 4_000_000;

    /** The current block at which validators first score ours when the incumbent is {@code age} blocks old. */
    private static long nowForAge(long age) {
        return INCUMBENT_BLOCK + age - B7.evalBlockDelay();
    }

    @Test
    void epsilonDecaysFromFivePercentToOnePercentOver36000Blocks() {
        assertEquals(0.05, BeatBest.decide(0.1, 0.3, B7, nowForAge(0), INCUMBENT_BLOCK).epsilon(), 1e-15);
        assertEquals(0.03, BeatBest.decide(0.1, 0.3, B7, nowForAge(18_000), INCUMBENT_BLOCK).epsilon(), 1e-15);
        assertEquals(0.01, BeatBest.decide(0.1, 0.3, B7, nowForAge(36_000), INCUMBENT_BLOCK).epsilon(), 1e-15);
        assertEquals(0.01, BeatBest.decide(0.1, 0.3, B7, nowForAge(100_000), INCUMBENT_BLOCK).epsilon(), 1e-15);
    }

    @Test
    void epsilonIsTakenWhenValidatorsFirstScoreOursNotNow() {
        BeatBest.Decision d = BeatBest.decide(0.1, 0.3, B7, INCUMBENT_BLOCK + 16_800, INCUMBENT_BLOCK);
        assertEquals(INCUMBENT_BLOCK + 18_000, d.scoredAtBlock());
        assertEquals(0.03, d.epsilon(), 1e-15);
    }

    @Test
    void passesOnlyWhenStrictlyBelowTheIncumbentDiscountedByEpsilon() {
        long now = nowForAge(0); // ε = 0.05: the threshold is 0.30 × 0.95 = 0.285
        assertTrue(BeatBest.decide(0.2849, 0.30, B7, now, INCUMBENT_BLOCK).passed());
        double threshold = BeatBest.decide(0.0, 0.30, B7, now, INCUMBENT_BLOCK).threshold();
        assertEquals(0.285, threshold, 1e-12);
        assertFalse(BeatBest.decide(threshold, 0.30, B7, now, INCUMBENT_BLOCK).passed(), "a tie loses");
        assertFalse(BeatBest.decide(0.2851, 0.30, B7, now, INCUMBENT_BLOCK).passed());
        assertFalse(BeatBest.decide(0.29, 0.30, B7, now, INCUMBENT_BLOCK).passed(), "better, but not by ε");
        BeatBest.Decision late = BeatBest.decide(0.29, 0.30, B7, nowForAge(36_000), INCUMBENT_BLOCK);
        assertTrue(late.passed(), "ε has decayed to 1 %: 0.29 < 0.297");
    }

    @Test
    void anUnscorableIncumbentIsBeatenByAnyScoreAndAnUnscorableModelNeverPasses() {
        assertTrue(BeatBest.decide(0.9, Double.POSITIVE_INFINITY, B7, nowForAge(0), INCUMBENT_BLOCK).passed());
        BeatBest.Decision ours = BeatBest.decide(Double.POSITIVE_INFINITY, 0.5, B7, nowForAge(0), INCUMBENT_BLOCK);
        assertFalse(ours.passed());
        assertTrue(ours.reason().contains("could not be evaluated"), ours.reason());
        assertFalse(BeatBest.decide(Double.NaN, 0.5, B7, nowForAge(0), INCUMBENT_BLOCK).passed());
    }

    @Test
    void aPerfectIncumbentCannotBeBeaten() {
        assertFalse(BeatBest.decide(0.0, 0.0, B7, nowForAge(0), INCUMBENT_BLOCK).passed());
    }
}
