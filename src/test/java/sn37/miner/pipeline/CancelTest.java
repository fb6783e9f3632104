package sn37.miner.pipeline;

import static sn37.miner.stage.StageContexts.gateWithoutChain;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.util.Json;
import sn37.miner.run.Run;
import sn37.miner.run.RunStatus;
import sn37.miner.stage.FetchData;
import sn37.miner.stage.Gate;
import sn37.miner.stage.Stage;
import sn37.miner.stage.StageContext;

class CancelTest {
    @TempDir Path dir;

    /** fetch-data that waits for a signal before doing its work. */
    static final class SlowFetch implements Stage {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public String name() {
            return "fetch-data";
        }

        @Override
        public Object run(StageContext ctx) throws Exception {
            entered.countDown();
            release.await(30, TimeUnit.SECONDS);
            return TestStages.fetchData().run(ctx);
        }
    }

    @Test
    void cancelStopsARunningRunBeforeItsNextStageAndAQueuedOneAtOnce() throws Exception {
        SlowFetch fetch = new SlowFetch();
        try (TestServer t = TestServer.start(TestServer.settings(dir, Map.of()), List.of(fetch, gateWithoutChain()))) {
            String body = "{\"offline\": true, \"avg_loss_upload_threshold\": 0.5}";
            String running = Json.mapper().readTree(t.post("/api/runs", body).body()).get("runId").asText();
            assertTrue(fetch.entered.await(20, TimeUnit.SECONDS));
            String queued = Json.mapper().readTree(t.post("/api/runs", body).body()).get("runId").asText();

            var q = HttpResponseAssert.accepted(t.post("/api/runs/" + queued + "/cancel", ""));
            assertEquals("CANCELLED", q.get("status").asText());
            var r = HttpResponseAssert.accepted(t.post("/api/runs/" + running + "/cancel", ""));
            assertTrue(r.get("cancelRequested").asBoolean());
            fetch.release.countDown();

            Run cancelled = t.awaitFinished(running, Duration.ofSeconds(20));
            assertEquals(RunStatus.CANCELLED, cancelled.status());
            // the reader of the data file sees the cancel at its first check: fetch-data stops there
            assertEquals("fetch-data", cancelled.failedStage());
            assertTrue(t.server.store().latestStage(running, "load-model").isEmpty(), "the next stage never started");
            assertEquals(RunStatus.CANCELLED, t.server.store().get(queued).status());

            HttpResponseAssert.accepted(t.post("/api/runs/" + running + "/resume", ""));
            assertEquals(RunStatus.SUCCEEDED, t.awaitFinished(running, Duration.ofSeconds(20)).status());
        }
    }

    @Test
    void aCancelWhileFetchDataReadsEndsTheRunCancelledNotFailed() throws Exception {
        Path data = dir.resolve("sn1.jsonl");
        java.nio.file.Files.writeString(data, "{\"challenge\": \"q\", \"reference\": \"A\"}\n");
        SlowFetch fetch = new SlowFetch();
        try (TestServer t = TestServer.start(TestServer.settings(dir, Map.of()), List.of(fetch, gateWithoutChain()))) {
            String body = "{\"offline\": true, \"data_path\": " + Json.mapper().writeValueAsString(data.toString())
                    + "}";
            String id = Json.mapper().readTree(t.post("/api/runs", body).body()).get("runId").asText();
            assertTrue(fetch.entered.await(20, TimeUnit.SECONDS));
            HttpResponseAssert.accepted(t.post("/api/runs/" + id + "/cancel", ""));
            fetch.release.countDown(); // the real reader now sees the cancel at its first check

            Run run = t.awaitFinished(id, Duration.ofSeconds(20));
            assertEquals(RunStatus.CANCELLED, run.status(), run.lastError());
            assertEquals("fetch-data", run.failedStage());
            assertEquals(sn37.miner.run.StageStatus.CANCELLED,
                    t.server.store().latestStage(id, "fetch-data").orElseThrow().status());
        }
    }
}
