package sn37.miner.pipeline;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.config.ConfigException;
import sn37.miner.util.Json;
import sn37.miner.run.RunStatus;

/**
 * {@code metric} and {@code upload_dir} are the explicit inputs of a gate run and an upload run alone: a whole run
 * must evaluate its own model and upload what it trained, so it refuses both.
 */
class WholeRunInputsTest {
    @TempDir Path dir;

    @Test
    void aWholeRunRefusesMetricAndUploadDirNamingTheField() throws Exception {
        try (TestServer t = TestServer.start(dir)) {
            HttpResponseAssert.status(400, "'metric'", t.post("/api/runs",
                    "{\"offline\": true, \"metric\": 0.01, \"avg_loss_upload_threshold\": 0.5}"));
            HttpResponseAssert.status(400, "'upload_dir'", t.post("/api/runs",
                    "{\"upload_dir\": " + Json.mapper().writeValueAsString(dir.toString()) + "}"));
            HttpResponseAssert.status(400, "'metric'", t.post("/api/stages/fetch-data", "{\"metric\": 0.01}"));
            assertEquals(0, t.server.store().list(null, 500).size(), "a refused request records no run");
            HttpResponseAssert.accepted(t.post("/api/stages/gate", "{\"metric\": 0.01, \"avg_loss_upload_threshold\": 0.5}"));
        }
    }

    @Test
    void theGateOfAWholeRunUsesEvaluatesMetric() throws Exception {
        try (TestServer t = TestServer.start(TestServer.settings(dir, Map.of()),
                TestServer.withExtra(new TestStages.Fixed("evaluate", Map.of("metric", 0.968))))) {
            String runId = HttpResponseAssert.accepted(t.post("/api/runs",
                    "{\"offline\": true, \"avg_loss_upload_threshold\": 0.5}")).get("runId").asText();
            assertEquals(RunStatus.REJECTED, t.awaitFinished(runId, Duration.ofSeconds(30)).status());
            JsonNode gate = Json.mapper().readTree(t.get("/api/runs/" + runId).body()).at("/stages/4");
            assertEquals("gate", gate.get("stage").asText());
            assertEquals(0.968, gate.at("/outputs/metric").asDouble());
            assertFalse(gate.at("/outputs/passed").asBoolean());
        }
    }

    @Test
    void scheduleParamsWithMetricAreAStartUpError() {
        ConfigException e = assertThrows(ConfigException.class, () -> TestServer.start(TestServer.settings(dir,
                Map.of("pipeline.schedule.params", "{\"offline\": true, \"metric\": 0.01}")), TestServer.builtIn()));
        assertTrue(e.getMessage().contains("pipeline.schedule.params") && e.getMessage().contains("'metric'"),
                e.getMessage());
    }
}
