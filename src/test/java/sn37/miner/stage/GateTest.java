package sn37.miner.stage;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.util.Json;

/** The gate as the reference miner applies it: upload only if metric < threshold, and 0 means never. */
class GateTest {
    @Test
    void metricEqualToThresholdIsRejected() {
        assertFalse(Gate.decide(0.25, 0.25, "parameter").passed());
    }

    @Test
    void thresholdZeroRejectsEvenAPerfectMetric() {
        Gate.Output d = Gate.decide(0.0, 0.0, "parameter");
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
        Gate g = StageContexts.gateWithoutChain();
        assertEquals(java.util.List.of("evaluate"), g.requires(RunParams.defaults()));
        RunParams withMetric = sn37.miner.util.Json.mapper().readValue("{\"metric\": 0.1}", RunParams.class);
        assertTrue(g.requires(withMetric).isEmpty());
    }

    @Test
    void aRunWithEvaluateOutputsIsGatedOnThemEvenWhenItCarriesAMetric(@TempDir Path dir) throws Exception {
        RunParams p = Json.mapper().readValue("{\"metric\": 0.01, \"avg_loss_upload_threshold\": 0.5}",
                RunParams.class);
        StageContext.Outputs evaluated = new StageContext.Outputs() {
            @Override
            public <T> Optional<T> of(String stage, Class<T> type) {
                if (!stage.equals("evaluate")) return Optional.empty();
                try {
                    return Optional.of(Json.recordReader(type).readValue("{\"metric\": 0.968}"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        Gate.Output d = StageContexts.gateWithoutChain().run(StageContexts.of(p, dir).run("run", 1).outputs(evaluated).build());
        assertEquals(0.968, d.metric());
        assertFalse(d.passed(), d.reason());
    }

    /** JSON has no infinity: Jackson stores a model that could not be evaluated with the metric "Infinity". */
    @Test
    void anEvaluationStoredWithAnInfiniteMetricIsRejected(@TempDir Path dir) throws Exception {
        RunParams p = Json.mapper().readValue("{\"avg_loss_upload_threshold\": 0.5}", RunParams.class);
        String stored = Json.mapper().writeValueAsString(Map.of("metric", Double.POSITIVE_INFINITY));
        StageContext.Outputs evaluated = new StageContext.Outputs() {
            @Override
            public <T> Optional<T> of(String stage, Class<T> type) {
                try {
                    return Optional.of(Json.recordReader(type).readValue(stored));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };

        Gate.Output d = StageContexts.gateWithoutChain().run(StageContexts.of(p, dir).outputs(evaluated).build());

        assertEquals(Double.POSITIVE_INFINITY, d.metric());
        assertFalse(d.passed(), d.reason());
    }
}
