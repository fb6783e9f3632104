package sn37.miner.competition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EvalTaskTest {

    private final EvalTask fineweb = EvalTask.inverseExponential("FINEWEB", 0.05, 20.0);

    @Test
    void inverseExponentialIsOneAtAndAboveTheCeiling() {
        assertEquals(1.0, fineweb.normalize(20.0));
        assertEquals(1.0, fineweb.normalize(1e9));
    }

    @Test
    void inverseExponentialMatchesTaoverseBelowTheCeiling() {
        assertEquals(0.0, fineweb.normalize(0.0), 1e-12);
        // (1 - e^(-10/20)) / (1 - e^(-1)), taoverse model/eval/normalization.py
        assertEquals(0.6224593312018546, fineweb.normalize(10.0), 1e-12);
    }

    @Test
    void noneLeavesTheRawScore() {
        assertEquals(0.37, EvalTask.raw("SYNTHETIC_MMLU", 1.0).normalize(0.37));
    }

    @Test
    void ceilingGoesWithInverseExponentialOnly() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new EvalTask("X", 1.0, EvalTask.Normalization.NONE, 20.0));
        assertThrows(
                IllegalArgumentException.class,
                () -> new EvalTask("X", 1.0, EvalTask.Normalization.INVERSE_EXPONENTIAL, null));
    }
}
