package sn37.miner.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.config.Env;
import sn37.miner.util.Json;
import sn37.miner.config.Settings;
import sn37.miner.run.Run;
import sn37.miner.run.RunStatus;
import sn37.miner.run.StageExecution;
import sn37.miner.run.StageStatus;
import sn37.miner.stage.BuiltInStages;
import sn37.miner.stage.Stage;
import sn37.miner.train.OneTorchThread;

/**
 * Cancel while the real DJL train stage trains a tiny model: the stage ends CANCELLED, and resume finishes it; the
 * run's progress events hold every step of both attempts with loss, lr, grad-norm and speed.
 */
@ExtendWith(OneTorchThread.class)
class CancelDuringTrainTest {
    @TempDir Path dir;

    @Test
    void cancelDuringTrainIsNotSuccessAndResumeTrainsOnFromTheCheckpointToThePlannedSteps() throws Exception {
        Settings settings = TestServer.settings(dir, Map.of());
        // fetch-data, load-model and train as the miner runs them; evaluate is the stand-in (metric 1.0)
        List<Stage> stages = new ArrayList<>(BuiltInStages.all(settings, Env.of(Map.of())).stream()
                .filter(s -> !s.name().equals("evaluate")).toList());
        try (TestServer t = TestServer.start(settings, stages)) {
            AtomicReference<String> runId = new AtomicReference<>();
            // The cancel arrives through the API while step 3 is reported: the stage sees it at its next step.
            t.server.showProgress(p -> {
                if (p.stage().equals("train") && p.done() == 3 && runId.get() != null
                        && t.server.store().get(runId.get()).attempt() == 1) {
                    try {
                        HttpResponseAssert.accepted(t.post("/api/runs/" + runId.get() + "/cancel", ""));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            String body = "{\"offline\": true, \"init_config\": \"tiny-llama\", \"max_steps\": 8, \"batch_size\": 8,"
                    + " \"accumulation_steps\": 1, \"checkpoint_every\": 50, \"lr\": 0.003}";
            String id = Json.mapper().readTree(t.post("/api/runs", body).body()).get("runId").asText();
            runId.set(id);

            Run cancelled = t.awaitFinished(id, Duration.ofMinutes(3));
            assertEquals(RunStatus.CANCELLED, cancelled.status(), cancelled.lastError());
            assertEquals("train", cancelled.failedStage());
            StageExecution train = t.server.store().latestStage(id, "train").orElseThrow();
            assertEquals("CANCELLED", train.status().name(), "a train stopped at step 3 of 8 is not SUCCEEDED");
            JsonNode stopped = Json.mapper().readTree(train.outputsJson());
            assertEquals(3, stopped.get("steps").asInt());
            assertEquals(8, stopped.get("plannedSteps").asInt());
            assertTrue(Files.isDirectory(Path.of(stopped.get("checkpointDir").asText())), stopped.toString());
            assertTrue(t.server.store().latestStage(id, "evaluate").isEmpty(), "evaluate never started");

            HttpResponseAssert.accepted(t.post("/api/runs/" + id + "/resume", ""));
            Run resumed = t.awaitFinished(id, Duration.ofMinutes(3));
            assertEquals(RunStatus.REJECTED, resumed.status(), resumed.lastError());
            StageExecution again = t.server.store().latestStage(id, "train").orElseThrow();
            assertEquals(StageStatus.SUCCEEDED, again.status());
            JsonNode finished = Json.mapper().readTree(again.outputsJson());
            assertEquals(8, finished.get("steps").asInt(), "training continued to the planned step count");
            assertEquals(3, finished.get("resumedFromStep").asInt());
            assertEquals(3 + 5, finished.get("stepLosses").size());

            // the progress endpoint holds every step of both attempts, as the trainer reported them
            JsonNode events = Json.mapper().readTree(t.get("/api/runs/" + id + "/progress").body());
            assertEquals(8, events.size(), events.toString());
            for (int i = 0; i < 8; i++) {
                JsonNode e = events.get(i);
                assertEquals(List.of("train", "step", i + 1, 8), List.of(e.get("stage").asText(), e.get("unit").asText(),
                        e.get("done").asInt(), e.get("total").asInt()), e.toString());
                assertEquals(finished.get("stepLosses").get(i).asDouble(), e.get("loss").asDouble(), 0, e.toString());
                assertTrue(e.get("lr").asDouble() > 0 && e.get("gradNorm").asDouble() > 0
                        && e.get("tokensPerSecond").asDouble() > 0, e.toString());
                assertTrue(i == 0 || e.get("seq").asLong() > events.get(i - 1).get("seq").asLong(), "in order");
            }
            assertTrue(events.get(5).get("etaSeconds").asDouble() > 0, events.get(5).toString());
            long third = events.get(2).get("seq").asLong();
            assertEquals(5, Json.mapper().readTree(t.get("/api/runs/" + id + "/progress?after=" + third).body()).size());
            // the stream of the ended run replays them and ends with its status
            try (SseClient sse = SseClient.open(t.port, "/api/runs/" + id + "/progress/stream")) {
                for (int i = 1; i <= 8; i++) assertEquals(i, Json.mapper().readTree(sse.next().data()).get("done").asInt());
                SseClient.Event end = sse.next();
                assertEquals("end", end.event());
                assertEquals("REJECTED", Json.mapper().readTree(end.data()).get("status").asText());
            }
        }
    }
}
