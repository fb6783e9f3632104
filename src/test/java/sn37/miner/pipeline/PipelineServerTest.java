package sn37.miner.pipeline;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.util.Json;
import sn37.miner.run.Run;
import sn37.miner.run.RunStatus;
import sn37.miner.stage.Artifact;

/**
 * The whole server over HTTP on loopback, with the real YAML routes and an H2 file database. Evaluate is a stand-in
 * that reports {@link TestStages.PassThrough#METRIC} (0.3): a threshold above it passes the gate, one at or below
 * it rejects the run.
 */
class PipelineServerTest {
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

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.mapper().readTree(r.body());
    }

    private static String trigger(String path, String body) throws Exception {
        HttpResponse<String> r = t.post(path, body);
        assertEquals(202, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        return json(r).get("runId").asText();
    }

    @Test
    void stageOwnerIsTheHostNameAsTheKernelHasItAndThisPid() throws Exception {
        String owner = PipelineServer.owner();
        assertTrue(owner.endsWith(":" + ProcessHandle.current().pid()), owner);
        Path kernelName = Path.of("/proc/sys/kernel/hostname");
        if (Files.isReadable(kernelName)) {
            assertEquals(Files.readString(kernelName).strip() + ":" + ProcessHandle.current().pid(), owner);
        }
    }

    @Test
    void pipelineRunRecordsEveryStageAndItsSnapshotArtifact() throws Exception {
        String runId = trigger("/api/runs", "{\"offline\": true, \"avg_loss_upload_threshold\": 0.2}");
        Run run = t.awaitFinished(runId, Duration.ofSeconds(30));
        assertEquals(RunStatus.REJECTED, run.status(), run.lastError());

        JsonNode report = json(t.get("/api/runs/" + runId));
        assertEquals("fetch-data", report.at("/stages/0/stage").asText());
        assertEquals("SUCCEEDED", report.at("/stages/0/status").asText());
        assertEquals(20, report.at("/stages/0/outputs/kept").asInt(), "half of the 40 bundled questions train");
        assertEquals(20, report.at("/stages/0/outputs/evalByTask/SYNTHETIC_MMLU").asInt(), "and half are held out");
        assertEquals(List.of("fetch-data:SUCCEEDED", "load-model:SUCCEEDED", "train:SUCCEEDED", "evaluate:SUCCEEDED",
                "gate:SUCCEEDED", "upload:SKIPPED", "commit:SKIPPED"), names(report.get("stages")));
        JsonNode artifact = report.at("/artifacts/0");
        Path snapshot = Path.of(artifact.get("path").asText());
        assertTrue(snapshot.startsWith(dir.resolve("runs").resolve(runId)));
        assertEquals(Artifact.sha256(snapshot), artifact.get("sha256").asText());
        assertEquals(Files.size(snapshot), artifact.get("sizeBytes").asLong());
    }

    @Test
    void offlinePipelineThatPassesTheGateSucceedsWithPublishSkipped() throws Exception {
        String runId = trigger("/api/runs", "{\"offline\": true, \"avg_loss_upload_threshold\": 0.5}");
        Run run = t.awaitFinished(runId, Duration.ofSeconds(30));
        assertEquals(RunStatus.SUCCEEDED, run.status(), run.lastError());
        JsonNode stages = json(t.get("/api/runs/" + runId)).get("stages");
        assertEquals(List.of("fetch-data:SUCCEEDED", "load-model:SUCCEEDED", "train:SUCCEEDED", "evaluate:SUCCEEDED",
                "gate:SUCCEEDED", "upload:SKIPPED", "commit:SKIPPED"), names(stages));
        assertTrue(stages.get(5).at("/outputs/reason").asText().startsWith("offline"));
    }

    @Test
    void pipelineRejectedByTheGateSkipsUploadAndCommit() throws Exception {
        String runId = trigger("/api/runs", "{\"avg_loss_upload_threshold\": 0.3}");
        Run run = t.awaitFinished(runId, Duration.ofSeconds(30));
        assertEquals(RunStatus.REJECTED, run.status());
        JsonNode stages = json(t.get("/api/runs/" + runId)).get("stages");
        assertEquals(List.of("fetch-data:SUCCEEDED", "load-model:SUCCEEDED", "train:SUCCEEDED", "evaluate:SUCCEEDED",
                "gate:SUCCEEDED", "upload:SKIPPED", "commit:SKIPPED"), names(stages));
        assertTrue(stages.get(6).at("/outputs/reason").asText().startsWith("gate rejected"));
    }

    @Test
    void pipelineThatPassesTheGateOnlineGoesOnToUploadWhichNeedsARepo() throws Exception {
        String runId = trigger("/api/runs", "{\"avg_loss_upload_threshold\": 0.5}");
        Run run = t.awaitFinished(runId, Duration.ofSeconds(30));
        assertEquals(RunStatus.FAILED, run.status());
        assertEquals("upload", run.failedStage());
        assertTrue(run.lastError().contains("--hf_repo_id"), run.lastError());
        assertTrue(t.server.store().latestStage(runId, "commit").isEmpty(), "commit never runs after a failed upload");
    }

    @Test
    void gateStageAloneRejectsAMetricEqualToTheThreshold() throws Exception {
        String runId = trigger("/api/stages/gate", "{\"metric\": 0.3, \"avg_loss_upload_threshold\": 0.3}");
        Run run = t.awaitFinished(runId, Duration.ofSeconds(30));
        assertEquals(RunStatus.REJECTED, run.status());
        JsonNode out = json(t.get("/api/runs/" + runId)).at("/stages/0/outputs");
        assertFalse(out.get("passed").asBoolean());
        assertEquals(0.3, out.get("metric").asDouble());
        assertEquals(0.3, out.get("threshold").asDouble());
    }

    @Test
    void fetchDataAloneCountsInvalidRowsAndKeepsTheRest() throws Exception {
        Path file = dir.resolve("mixed.jsonl");
        Files.writeString(file, "{\"challenge\": \"Q1\", \"reference\": \"A\"}\n{not json\n"
                + "{\"challenge\": \"Q2\", \"reference\": \"E\"}\n{\"challenge\": \"Q3\", \"reference\": \"D\"}\n");
        String runId = trigger("/api/stages/fetch-data", "{\"data_path\": " + Json.mapper().writeValueAsString(file.toString()) + "}");
        assertEquals(RunStatus.SUCCEEDED, t.awaitFinished(runId, Duration.ofSeconds(30)).status());
        JsonNode out = json(t.get("/api/runs/" + runId)).at("/stages/0/outputs");
        assertEquals(1, out.get("kept").asInt(), "of the two valid questions, one trains and one is held out");
        assertEquals(1, out.at("/evalByTask/SYNTHETIC_MMLU").asInt());
        assertEquals(4, out.get("rowsRead").asInt());
        assertEquals(1, out.at("/droppedByReason/malformed JSON").asInt());
        assertEquals(1, out.at("/droppedByReason/reference not one of A-D").asInt());
    }

    @Test
    void fetchDataOfAFileWithoutAValidRowFailsTheRunWithCounts() throws Exception {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, "[1,2]\n{\"challenge\": 5, \"reference\": \"A\"}\n");
        String runId = trigger("/api/stages/fetch-data", "{\"data_path\": " + Json.mapper().writeValueAsString(file.toString()) + "}");
        Run run = t.awaitFinished(runId, Duration.ofSeconds(30));
        assertEquals(RunStatus.FAILED, run.status());
        assertTrue(run.lastError().contains("no valid multiple-choice row"), run.lastError());
        assertTrue(run.lastError().contains(file.toString()), run.lastError());
    }

    @Test
    void listsRunsNewestFirstAndFiltersByStatus() throws Exception {
        String runId = trigger("/api/stages/gate", "{\"metric\": 0.1, \"avg_loss_upload_threshold\": 0.2}");
        t.awaitFinished(runId, Duration.ofSeconds(30));
        JsonNode all = json(t.get("/api/runs?limit=500")).get("runs");
        assertTrue(all.size() >= 1);
        JsonNode succeeded = json(t.get("/api/runs?status=succeeded")).get("runs");
        succeeded.forEach(r -> assertEquals("SUCCEEDED", r.get("status").asText()));
        assertTrue(succeeded.findValuesAsText("id").contains(runId));
    }

    @Test
    void competitionsListsBothSchedules() throws Exception {
        JsonNode c = json(t.get("/api/competitions"));
        assertEquals("B7_MULTI_CHOICE", c.at("/oct2024/entries/0/competitions/0/id").asText());
        assertTrue(c.has("later"));
    }

    @Test
    void healthIsUpAndMetricsArePrometheusOnTheManagementPort() throws Exception {
        HttpResponse<String> health = t.getManagement("/observe/health");
        assertEquals(200, health.statusCode());
        assertTrue(health.body().contains("UP"), health.body());
        HttpResponse<String> metrics = t.getManagement("/observe/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("# TYPE"), metrics.body().substring(0, Math.min(200, metrics.body().length())));
        assertEquals(404, t.get("/observe/health").statusCode(), "health must not be on the API port");
    }

    @Test
    void publishesAnOpenApiDocumentOfTheApi() throws Exception {
        HttpResponse<String> r = t.get("/api/openapi.json");
        assertEquals(200, r.statusCode());
        JsonNode doc = Json.mapper().readTree(r.body());
        assertTrue(doc.has("openapi"));
        for (String path : List.of("/api/runs", "/api/runs/{runId}", "/api/runs/{runId}/resume",
                "/api/runs/{runId}/cancel", "/api/stages/{stage}", "/api/competitions")) {
            assertTrue(doc.get("paths").has(path), "OpenAPI lacks " + path + ": " + doc.get("paths").fieldNames());
        }
    }

    static List<String> names(JsonNode stages) {
        List<String> out = new java.util.ArrayList<>();
        stages.forEach(s -> out.add(s.get("stage").asText() + ":" + s.get("status").asText()));
        return out;
    }
}
