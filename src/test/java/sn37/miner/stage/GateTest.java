package sn37.miner.stage;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The gate as the reference miner applies it: upload only if metric < threshold, and 0 means never. */
class GateTest {
    @Test
    void metricEqualToThresholdIsRejected() {
        assertFalse(Gate.decide(0.25, 0.25, "parameter").passed());
    }

    @Test
    void thresholdZeroRejectsEvenAPerfectMetric() {
        GateDecision d = Gate.decide(0.0, 0.0, "parameter");
        assertFalse(d.passed());
        assertTrue(d.reason().contains("never"), d.reason());
    }

    @Test
    void metricBelowThresholdPasses() {
        assertTrue(Gate.decide(0.2499, 0.25, "parameter").passed());
    }

    @Test
    void infiniteMetricIsRejected() {
        assertFalse(Gate.decide(Double.POSITIVE_INFINITY, 0.5, "evaluate").passed());
    }

    @Test
    void gateNeedsEvaluateUnlessGivenAMetric() throws Exception {
        Gate g = new Gate();
        assertEquals(java.util.List.of("evaluate"), g.requires(RunParams.defaults()));
        RunParams withMetric = sn37.miner.config.Json.mapper().readValue("{\"metric\": 0.1}", RunParams.class);
        assertTrue(g.requires(withMetric).isEmpty());
    }
}
