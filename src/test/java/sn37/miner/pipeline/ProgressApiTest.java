package sn37.miner.pipeline;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.util.Json;
import sn37.miner.run.RunStatus;

/**
 * The Server-Sent Events stream of a run's progress against a real server, with a train stage that reports a step
 * per permit. The events of a real DJL run are checked in {@link CancelDuringTrainTest}.
 */
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
            JsonNode listed = Json.mapper().readTree(t.get("/api/runs/" + id + "/progress?limit=4", AUTH).body());
            assertEquals(4, listed.size(), "at most limit events, oldest first");
            assertEquals(1, listed.get(0).get("done").asInt());
            assertEquals(400, t.get("/api/runs/" + id + "/progress?after=x", AUTH).statusCode());
            assertEquals(401, t.get("/api/runs/" + id + "/progress").statusCode());
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

    private static String start(TestServer t, String body) throws Exception {
        HttpResponse<String> r = t.post("/api/runs", body, AUTH);
        assertEquals(202, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body()).get("runId").asText();
    }
}
