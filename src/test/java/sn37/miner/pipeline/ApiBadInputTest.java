package sn37.miner.pipeline;

import static org.junit.jupiter.api.Assertions.*;
import static sn37.miner.pipeline.HttpResponseAssert.status;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.util.Json;
import sn37.miner.config.PipelineSettings;
import sn37.miner.config.ConfigException;
import sn37.miner.run.RunStatus;

/** Each bad request gets its exact status and a JSON error that says what is wrong; nothing is recorded. */
class ApiBadInputTest {
    @TempDir static Path dir;
    static TestServer t;

    @BeforeAll
    static void start() {
        t = TestServer.start(dir);
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    void malformedJsonIs400() throws Exception {
        int before = t.server.store().list(null, 500).size();
        status(400, "line 1", t.post("/api/runs", "{\"offline\": tru"));
        assertEquals(before, t.server.store().list(null, 500).size(), "no run recorded for a bad request");
    }

    @Test
    void formEncodedBodyIs415NotSilentlyIgnored() throws Exception {
        int before = t.server.store().list(null, 500).size();
        status(415, "Content-Type: application/json", t.post("/api/runs", "{\"offline\": true}",
                "Content-Type", "application/x-www-form-urlencoded"));
        assertEquals(before, t.server.store().list(null, 500).size());
    }

    @Test
    void nonObjectBodyIs400() throws Exception {
        status(400, "JSON object", t.post("/api/runs", "[1, 2]"));
    }

    @Test
    void wrongTypeNamesTheField() throws Exception {
        status(400, "'num_epochs'", t.post("/api/runs", "{\"num_epochs\": \"many\"}"));
    }

    @Test
    void unknownFieldIsNamed() throws Exception {
        status(400, "unknown field 'threshold'", t.post("/api/runs", "{\"threshold\": 0.5}"));
    }

    @Test
    void negativeThresholdIs400NamingTheFlag() throws Exception {
        status(400, "--avg_loss_upload_threshold must be a finite number >= 0",
                t.post("/api/runs", "{\"avg_loss_upload_threshold\": -1}"));
    }

    @Test
    void hugeValueIs400() throws Exception {
        status(400, "", t.post("/api/runs", "{\"num_epochs\": 99999999999999999999}"));
    }

    @Test
    void unknownStageIs404ListingTheStages() throws Exception {
        status(404, "no stage 'deploy': the stages are fetch-data, load-model", t.post("/api/stages/deploy", "{}"));
    }

    @Test
    void commitAloneWithoutUploadOutputsIs400() throws Exception {
        status(400, "cannot run alone: it needs the outputs of upload",
                t.post("/api/stages/commit", "{}"));
    }

    @Test
    void gateAloneWithoutItsMetricIs400() throws Exception {
        status(400, "missing \"metric\"", t.post("/api/stages/gate", "{\"avg_loss_upload_threshold\": 0.5}"));
    }

    @Test
    void unknownRunIs404() throws Exception {
        status(404, "no run with id 'nope'", t.get("/api/runs/nope"));
        status(404, "no run with id 'nope'", t.post("/api/runs/nope/resume", ""));
        status(404, "no run with id 'nope'", t.post("/api/runs/nope/cancel", ""));
    }

    @Test
    void resumeOfSucceededRunIs409() throws Exception {
        String runId = Json.mapper().readTree(t.post("/api/stages/gate", "{\"metric\": 0.1, \"avg_loss_upload_threshold\": 0.2}")
                .body()).get("runId").asText();
        assertEquals(RunStatus.SUCCEEDED, t.awaitFinished(runId, Duration.ofSeconds(20)).status());
        status(409, "already SUCCEEDED: there is nothing to resume", t.post("/api/runs/" + runId + "/resume", ""));
        status(409, "only a QUEUED or RUNNING run can be cancelled", t.post("/api/runs/" + runId + "/cancel", ""));
    }

    @Test
    void badListParametersAre400() throws Exception {
        status(400, "status must be one of", t.get("/api/runs?status=DONE"));
        status(400, "limit must be an integer in [1, 500]", t.get("/api/runs?limit=100000"));
    }

    @Test
    void sameIdempotencyKeyReturnsTheFirstRun() throws Exception {
        var first = t.post("/api/stages/gate", "{\"metric\": 0.1, \"avg_loss_upload_threshold\": 0.2}", "Idempotency-Key", "k-1");
        var second = t.post("/api/stages/gate", "{\"metric\": 0.1, \"avg_loss_upload_threshold\": 0.2}", "Idempotency-Key", "k-1");
        assertEquals(202, first.statusCode());
        assertEquals(200, second.statusCode());
        assertEquals(Json.mapper().readTree(first.body()).get("runId"), Json.mapper().readTree(second.body()).get("runId"));
    }

    @Test
    void serverStaysUpAfterBadInput() throws Exception {
        for (int i = 0; i < 20; i++) t.post("/api/runs", "{".repeat(i));
        assertEquals(200, t.get("/api/runs").statusCode());
    }

    @Test
    void bindingBeyondLoopbackWithoutTokenIsAStartupError() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> PipelineSettings.from(TestServer.settings(dir, Map.of("camel.server.host", "0.0.0.0"))));
        assertTrue(e.getMessage().contains("pipeline.api.token"), e.getMessage());
    }
}
