package sn37.miner.pipeline;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.config.Json;
import sn37.miner.run.Run;
import sn37.miner.run.RunStatus;

class PipelineServerTest {
    @TempDir Path dir;

    @Test
    void singleGateStageWithExplicitMetricPassesOverHttp() throws Exception {
        try (TestServer t = TestServer.start(dir)) {
            HttpResponse<String> r = t.post("/api/stages/gate", "{\"metric\": 0.1, \"avg_loss_upload_threshold\": 0.5}");
            assertEquals(202, r.statusCode(), r.body());
            String runId = Json.mapper().readTree(r.body()).get("runId").asText();
            Run run = t.awaitFinished(runId, Duration.ofSeconds(20));
            assertEquals(RunStatus.SUCCEEDED, run.status(), run.lastError());
            JsonNode report = Json.mapper().readTree(t.get("/api/runs/" + runId).body());
            assertTrue(report.at("/stages/0/outputs/passed").asBoolean());
        }
    }
}
