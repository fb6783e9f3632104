package sn37.miner.stage;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.util.Json;

/**
 * The beat-best gate on constructed scores (B7, Oct 2024: eval delay 1200 blocks, ε 0.05 → 0.01 over 36,000):
 * ours must be below incumbent × (1 − ε), ε taken when validators first score ours.
 */
class GateBeatBestTest {
    @TempDir Path dir;

    private Gate.Output gate(String params, Map<String, String> outputs) throws Exception {
        RunParams p = Json.mapper().readValue(params, RunParams.class);
        StageContext.Outputs recorded = new StageContext.Outputs() {
            @Override
            public <T> Optional<T> of(String stage, Class<T> type) {
                String json = outputs.get(stage);
                if (json == null) return Optional.empty();
                try {
                    return Optional.of(Json.recordReader(type).readValue(json));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        return StageContexts.gateWithoutChain().run(StageContexts.of(p, dir).run("run", 1).outputs(recorded).build());
    }

    private static Map<String, String> scores(double ours, double incumbent) {
        return Map.of("evaluate", "{\"metric\": " + ours + ", \"incumbentMetric\": " + incumbent + "}",
                "load-model", "{\"source\": \"load_best\", \"block\": 1000}");
    }

    @Test
    void passesWhenOursBeatsTheIncumbentByMoreThanEpsilon() throws Exception {
        // scored at 1000 + 1200: the incumbent is 1200 blocks old, ε = 0.05 − 1200/36000 · 0.04 = 0.048667
        Gate.Output d = gate("{\"gate\": \"beat-best\", \"current_block\": 1000}", scores(0.30, 0.32));
        assertTrue(d.passed(), d.reason());
        assertEquals(0.32 * (1 - (0.05 - 1200.0 / 36000 * 0.04)), d.threshold(), 1e-12);
        assertEquals("beat-best", d.metricSource());
    }

    @Test
    void lowerScoreWithinEpsilonIsRejected() throws Exception {
        Gate.Output d = gate("{\"gate\": \"beat-best\", \"current_block\": 1000}", scores(0.31, 0.32));
        assertFalse(d.passed(), "0.31 is lower than 0.32 but not by ε");
        assertTrue(d.reason().startsWith("does not beat the incumbent by ε"), d.reason());
    }

    @Test
    void epsilonShrinksAsTheIncumbentAges() throws Exception {
        // 40,000 blocks later ε has decayed to 0.01: 0.31 < 0.32 · 0.99 = 0.3168 now passes
        assertTrue(gate("{\"gate\": \"beat-best\", \"current_block\": 41000}", scores(0.31, 0.32)).passed());
    }

    @Test
    void explicitIncumbentBlockWinsOverLoadModels() throws Exception {
        Gate.Output d = gate("{\"gate\": \"beat-best\", \"current_block\": 41000, \"incumbent_block\": 41000}",
                scores(0.31, 0.32));
        assertFalse(d.passed(), "a fresh incumbent keeps a large ε");
    }

    @Test
    void withoutTheIncumbentsScoreTheGateSaysWhy() {
        StageException e = assertThrows(StageException.class, () -> gate("{\"gate\": \"beat-best\", \"current_block\": 1}",
                Map.of("evaluate", "{\"metric\": 0.3}")));
        assertTrue(e.getMessage().contains("did not score the incumbent"), e.getMessage());
    }

    @Test
    void offlineWithoutCurrentBlockSaysWhatToGive() {
        Gate g = new Gate(p -> ChainBlocks.current(null, p));
        StageException e = assertThrows(StageException.class, () -> g.run(StageContexts.of(
                Json.mapper().readValue("{\"gate\": \"beat-best\", \"offline\": true}", RunParams.class), dir)
                .run("run", 1).outputs(new StageContext.Outputs() {
                    @Override
                    public <T> Optional<T> of(String stage, Class<T> type) {
                        try {
                            return Optional.of(Json.recordReader(type).readValue(scores(0.3, 0.4).get(stage)));
                        } catch (Exception ex) {
                            throw new IllegalStateException(ex);
                        }
                    }
                }).build()));
        assertTrue(e.getMessage().contains("--current_block"), e.getMessage());
    }
}
