package sn37.miner.competition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LinearDecayTest {

    private final LinearDecay b7 = ModelConstraints.B7_OCT_2024.epsilon();

    @Test
    void b7EpsilonStartsAtFivePercent() {
        assertEquals(0.05, b7.epsilon(4_000_000, 4_000_000), 1e-12);
    }

    @Test
    void b7EpsilonIsThreePercentHalfwayThroughDecay() {
        assertEquals(0.03, b7.epsilon(1_018_000, 1_000_000), 1e-12);
    }

    @Test
    void b7EpsilonBottomsOutAtOnePercentAfterFiveDays() {
        assertEquals(0.01, b7.epsilon(1_036_000, 1_000_000), 1e-12);
        assertEquals(0.01, b7.epsilon(2_000_000, 1_000_000), 1e-12);
    }

    @Test
    void modelFromTheFutureGetsTheStartEpsilon() {
        assertEquals(0.05, b7.epsilon(1_000_000, 1_000_500), 1e-12);
    }

    @Test
    void instructDecaysOverOneDay() {
        LinearDecay instruct = ModelConstraints.INSTRUCT_8B.epsilon();
        assertEquals(0.03, instruct.epsilon(3_600, 0), 1e-12);
        assertEquals(0.01, instruct.epsilon(7_200, 0), 1e-12);
    }

    @Test
    void rejectsNonPositiveDecay() {
        assertThrows(IllegalArgumentException.class, () -> new LinearDecay(0.05, 0.01, 0));
    }
}
