package sn37.miner.pipeline;

import static sn37.miner.stage.StageContexts.gateWithoutChain;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.util.Json;
import sn37.miner.config.Settings;
import sn37.miner.run.Run;
import sn37.miner.run.RunStatus;
import sn37.miner.run.StageStatus;
import sn37.miner.stage.Gate;

/** A run whose process stops mid-stage is FAILED(interrupted) after a restart, and resumes without redoing work. */
class RestartTest {
    @TempDir Path dir;

    @Test
    void interruptedRunResumesSkippingSucceededStages() throws Exception {
        Settings settings = TestServer.settings(dir, Map.of("camel.main.shutdown-timeout", "1"));
        TestStages.Counting fetch = new TestStages.Counting(TestStages.fetchData());
        TestStages.BlockingOnce gate = new TestStages.BlockingOnce(gateWithoutChain());
        String runId;
        try (TestServer first = TestServer.start(settings, List.of(fetch, gate))) {
            HttpResponseAssert.accepted(first.post("/api/runs",
                    "{\"offline\": true, \"avg_loss_upload_threshold\": 0.5}"));
            runId = first.server.store().list(null, 1).get(0).id();
            assertTrue(gate.entered.await(30, TimeUnit.SECONDS), "gate never started");
            assertEquals(RunStatus.RUNNING, first.server.store().get(runId).status());
        } finally {
            gate.release.countDown();
        }

        try (TestServer second = TestServer.start(settings, List.of(fetch, gate))) {
            Run recovered = second.server.store().get(runId);
            assertEquals(RunStatus.FAILED, recovered.status());
            assertTrue(recovered.lastError().startsWith("interrupted"), recovered.lastError());
            assertEquals("gate", recovered.failedStage());

            HttpResponseAssert.accepted(second.post("/api/runs/" + runId + "/resume", ""));
            Run done = second.awaitFinished(runId, Duration.ofSeconds(30));
            assertEquals(RunStatus.SUCCEEDED, done.status(), done.lastError());
            assertEquals(2, done.attempt());
            assertEquals(1, fetch.runs.get(), "fetch-data SUCCEEDED in attempt 1 and must not run again");
            assertEquals(2, gate.runs.get());
            assertEquals(StageStatus.SUCCEEDED,
                    second.server.store().latestStage(runId, "fetch-data").orElseThrow().status());
            assertEquals(1, second.server.store().latestStage(runId, "fetch-data").orElseThrow().attempt());

            HttpResponseAssert.status(409, "already SUCCEEDED", second.post("/api/runs/" + runId + "/resume", ""));
        }
    }

    @Test
    void succeededStageWhoseArtifactVanishedRunsAgainOnResume() throws Exception {
        Settings settings = TestServer.settings(dir, Map.of());
        TestStages.Counting fetch = new TestStages.Counting(TestStages.fetchData());
        try (TestServer t = TestServer.start(settings, List.of(fetch, new TestStages.AlwaysFailing("gate")))) {
            String runId = Json.mapper().readTree(t.post("/api/runs", "{\"offline\": true}").body()).get("runId").asText();
            assertEquals(RunStatus.FAILED, t.awaitFinished(runId, Duration.ofSeconds(30)).status());
            java.nio.file.Files.delete(Path.of(t.server.store().artifacts(runId).get(0).path()));
            t.post("/api/runs/" + runId + "/resume", "");
            t.awaitFinished(runId, Duration.ofSeconds(30));
            assertEquals(2, fetch.runs.get(), "the snapshot was gone, so fetch-data had to run again");
            assertTrue(java.nio.file.Files.exists(Path.of(t.server.store().artifacts(runId).get(0).path())));
        }
    }
}
