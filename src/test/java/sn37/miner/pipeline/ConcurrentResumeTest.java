package sn37.miner.pipeline;

import static org.junit.jupiter.api.Assertions.*;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.util.Json;
import sn37.miner.run.Run;
import sn37.miner.run.RunStatus;

class ConcurrentResumeTest {
    @TempDir Path dir;

    @Test
    void twoResumesAtOnceExecuteTheRunOnce() throws Exception {
        TestStages.Counting fetch = new TestStages.Counting(TestStages.fetchData());
        // two consumers, so that two queued copies of the run could really execute side by side
        try (TestServer t = TestServer.start(TestServer.settings(dir, Map.of("pipeline.run-consumers", "2")),
                List.of(fetch, new SlowFailingGate()))) {
            String runId = Json.mapper().readTree(t.post("/api/runs", "{\"offline\": true}").body()).get("runId").asText();
            assertEquals(RunStatus.FAILED, t.awaitFinished(runId, Duration.ofSeconds(30)).status());
            assertEquals(1, gateExecutions(t, runId));

            for (int round = 0; round < 5; round++) {
                CountDownLatch go = new CountDownLatch(1);
                CompletableFuture<HttpResponse<String>> a = CompletableFuture.supplyAsync(() -> resume(t, runId, go));
                CompletableFuture<HttpResponse<String>> b = CompletableFuture.supplyAsync(() -> resume(t, runId, go));
                go.countDown();
                List<Integer> codes = List.of(a.get().statusCode(), b.get().statusCode());
                assertTrue(codes.contains(202) && codes.contains(409), "one resume wins, the other is a conflict: " + codes);
                Run done = t.awaitFinished(runId, Duration.ofSeconds(30));
                assertEquals(RunStatus.FAILED, done.status());
                assertEquals(round + 2, done.attempt());
                assertEquals(round + 2, gateExecutions(t, runId), "the gate ran once per winning resume");
            }
            assertEquals(1, fetch.runs.get());
        }
    }

    /** Fails after a while, so the run is still busy when the second resume arrives. */
    static final class SlowFailingGate implements sn37.miner.stage.Stage {
        @Override
        public String name() {
            return "gate";
        }

        @Override
        public Object run(sn37.miner.stage.StageContext ctx) throws Exception {
            Thread.sleep(300);
            throw new sn37.miner.stage.StageException("evaluation unavailable");
        }
    }

    private static long gateExecutions(TestServer t, String runId) {
        return t.server.store().stages(runId).stream().filter(s -> s.stage().equals("gate")).count();
    }

    private static HttpResponse<String> resume(TestServer t, String runId, CountDownLatch go) {
        try {
            go.await();
            return t.post("/api/runs/" + runId + "/resume", "");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
