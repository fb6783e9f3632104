package sn37.miner.pipeline;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.config.Env;
import sn37.miner.config.Json;
import sn37.miner.config.Settings;
import sn37.miner.run.Run;
import sn37.miner.run.RunStatus;
import sn37.miner.stage.BuiltInStages;
import sn37.miner.stage.Stage;

/** GET /api/runs/{id}/progress and its Server-Sent Events stream against a real server. */
class ProgressApiTest {
    private static final String TOKEN = "progress-test-token";
    private static final String[] AUTH = {"Authorization", "Bearer " + TOKEN};

    @TempDir Path dir;

    @Test
    void streamSendsEventsInOrderResumesAfterLastEventIdAndEndsWithTheRun() throws Exception {
        TestStages.Stepping train = new TestStages.Stepping(6);
        try (TestServer t = TestServer.start(TestServer.settings(dir, Map.of("pipeline.api.token", TOKEN)),
                TestServer.withExtra(train))) {
            String id = start(t, "{\"offline\": true, \"avg_loss_upload_threshold\": 0.5}");
            String stream = "/api/runs/" + id + "/progress/stream";
            assertEquals(401, t.get(stream).statusCode(), "the same auth as every API read");

            train.steps.release(3);
            String lastId;
            try (SseClient sse = SseClient.open(t.port, stream, AUTH)) {
                assertEquals(200, sse.response.statusCode());
                assertTrue(sse.response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
                lastId = expectSteps(sse, 1, 3);
            } // the client goes away mid-run

            train.steps.release(2);
            try (SseClient sse = SseClient.open(t.port, stream, "Last-Event-ID", lastId, AUTH[0], AUTH[1])) {
                lastId = expectSteps(sse, 4, 5);
                train.steps.release(1);
                lastId = expectSteps(sse, 6, 6);
                SseClient.Event end = sse.next();
                assertEquals("end", end.event(), end.toString());
                assertEquals("SUCCEEDED", Json.mapper().readTree(end.data()).get("status").asText());
                assertNull(sse.next(), "the server closes the stream after the end");
            }
            assertEquals(RunStatus.SUCCEEDED, t.server.store().get(id).status());
            HttpResponse<String> again = t.get(stream, "Last-Event-ID", lastId, AUTH[0], AUTH[1]);
            assertEquals(204, again.statusCode(), "a reconnect after the end is told to stop: " + again.body());
            assertEquals(400, t.get(stream + "?after=-1", AUTH).statusCode());
            assertEquals(404, t.get("/api/runs/no-such-run/progress/stream", AUTH).statusCode());
        }
    }

    /** Reads the progress events of steps {@code from}..{@code to}; returns the last one's id. */
    private static String expectSteps(SseClient sse, int from, int to) throws Exception {
        String id = null;
        for (int step = from; step <= to; step++) {
            SseClient.Event e = sse.next();
            assertNotNull(e, "the stream ended before step " + step);
            assertEquals("progress", e.event());
            JsonNode data = Json.mapper().readTree(e.data());
            assertEquals(step, data.get("done").asInt(), e.data());
            assertEquals(e.id(), data.get("seq").asText(), "the event id is the seq");
            if (id != null) assertTrue(Long.parseLong(e.id()) > Long.parseLong(id), "ids increase");
            assertEquals(TestStages.Stepping.loss(step), data.get("loss").asDouble(), 1e-12);
            id = e.id();
        }
        return id;
    }

    @Test
    void progressOfADjlRunHoldsEveryStepWithLossLrGradNormSpeedAndEta() throws Exception {
        Settings settings = TestServer.settings(dir, Map.of());
        // fetch-data, load-model and train as the miner runs them; evaluate is the stand-in
        List<Stage> stages = new ArrayList<>(BuiltInStages.all(settings, Env.of(Map.of())).stream()
                .filter(s -> !s.name().equals("evaluate")).toList());
        try (TestServer t = TestServer.start(settings, stages)) {
            String id = start(t, "{\"offline\": true, \"init_config\": \"tiny-llama\", \"max_steps\": 4,"
                    + " \"batch_size\": 8, \"accumulation_steps\": 1, \"lr\": 0.003, \"avg_loss_upload_threshold\": 0.5}");
            Run done = t.awaitFinished(id, Duration.ofMinutes(3));
            assertEquals(RunStatus.SUCCEEDED, done.status(), done.lastError());
            JsonNode losses = Json.mapper().readTree(t.server.store().latestStage(id, "train").orElseThrow()
                    .outputsJson()).get("stepLosses");

            JsonNode events = Json.mapper().readTree(t.get("/api/runs/" + id + "/progress").body());
            assertEquals(4, events.size(), events.toString());
            for (int i = 0; i < 4; i++) {
                JsonNode e = events.get(i);
                assertEquals("train", e.get("stage").asText());
                assertEquals("step", e.get("unit").asText());
                assertEquals(i + 1, e.get("done").asInt());
                assertEquals(4, e.get("total").asInt());
                assertEquals(losses.get(i).asDouble(), e.get("loss").asDouble(), 0, "the step's recorded loss");
                assertEquals(0.003, e.get("lr").asDouble(), 0.003, e.toString());
                assertTrue(e.get("lr").asDouble() > 0 && e.get("gradNorm").asDouble() > 0, e.toString());
                assertTrue(e.get("tokensPerSecond").asDouble() > 0, e.toString());
                assertTrue(i == 0 || e.get("seq").asLong() > events.get(i - 1).get("seq").asLong());
                assertNotNull(e.get("at"));
            }
            assertFalse(events.get(0).has("etaSeconds"), "no rate yet at the first step");
            assertTrue(events.get(2).get("etaSeconds").asDouble() > 0, events.get(2).toString());
            assertEquals(0, events.get(3).get("etaSeconds").asDouble(), "done: nothing left");

            long second = events.get(1).get("seq").asLong();
            JsonNode after = Json.mapper().readTree(t.get("/api/runs/" + id + "/progress?after=" + second).body());
            assertEquals(List.of(3, 4), List.of(after.get(0).get("done").asInt(), after.get(1).get("done").asInt()));
            assertEquals(400, t.get("/api/runs/" + id + "/progress?after=x").statusCode());

            // the stream of a finished run replays its events and ends
            try (SseClient sse = SseClient.open(t.port, "/api/runs/" + id + "/progress/stream")) {
                for (int i = 1; i <= 4; i++) assertEquals(i, Json.mapper().readTree(sse.next().data()).get("done").asInt());
                assertEquals("end", sse.next().event());
                assertNull(sse.next());
            }
        }
    }

    private static String start(TestServer t, String body) throws Exception {
        HttpResponse<String> r = t.post("/api/runs", body, AUTH);
        assertEquals(202, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body()).get("runId").asText();
    }
}
