package sn37.miner.pipeline;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.util.Echo;
import sn37.miner.util.Json;
import sn37.miner.run.Run;
import sn37.miner.run.RunReport;
import sn37.miner.run.RunStatus;
import sn37.miner.run.StageExecution;
import sn37.miner.run.StageStatus;
import sn37.miner.stage.RunParams;
import sn37.miner.stage.Stage;
import sn37.miner.testing.Sweep;

/**
 * Hundreds of generated bad requests ({@link BadRequests}, {@link StageTimeInputs}): each gets a 4xx JSON error
 * naming the input, or, when only the stage can judge it, a run that ends FAILED saying why. The server stays up,
 * bad requests create no run, and every run record reads back whole, the ones from before the sweep unchanged.
 */
@Sweep
class ApiBadInputSweepTest {
    /** A Java class, a parser feature or a stack frame in an answer means an internal text leaked out. */
    private static final Pattern LEAK = Pattern.compile(
            "(?:java|javax|com\\.fasterxml|org\\.apache|sn37)\\.[a-z]|Exception\\b|\\tat |`|Feature\\b|JsonToken");

    @TempDir static Path dir;
    static StageTimeInputs inputs;
    static TestServer t;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final Map<String, int[]> TALLY = new LinkedHashMap<>();
    static final Map<String, String> BEFORE = new LinkedHashMap<>();
    static int created;
    static int countAtStart;

    @BeforeAll
    static void start() throws Exception {
        inputs = StageTimeInputs.start(dir);
        List<Stage> stages = new ArrayList<>(TestServer.builtIn());
        stages.add(inputs.loadModel());
        t = TestServer.start(TestServer.settings(dir, Map.of()), stages);
    }

    @AfterAll
    static void stop() {
        if (t != null) t.close();
        if (inputs != null) inputs.close();
        TALLY.forEach((category, n) -> System.out.printf("bad-input sweep: %-18s -> %4d cases, %s%n", category, n[0],
                n[1] == 0 ? "all clear" : n[1] + " FAILED"));
    }

    @TestFactory
    Stream<DynamicNode> sweep() throws Exception {
        List<DynamicNode> nodes = new ArrayList<>();
        nodes.add(dynamicTest("runs before the sweep", ApiBadInputSweepTest::recordRunsBeforeTheSweep));
        Map<String, List<BadRequests.Case>> batches = new LinkedHashMap<>();
        batches.put("malformed JSON", BadRequests.malformedJson());
        batches.put("invalid UTF-8", BadRequests.invalidUtf8());
        batches.put("wrong types", BadRequests.wrongTypes());
        batches.put("huge values", BadRequests.hugeValues());
        batches.put("unknown fields", BadRequests.unknownFields());
        batches.put("bad paths", BadRequests.badPaths());
        batches.put("repo ids", BadRequests.badRepoIds());
        batches.put("urls and queries", BadRequests.urlsAndQueries());
        batches.forEach((category, cases) -> nodes.add(batch(category, cases)));
        nodes.add(dynamicContainer("existing runs", Stream.of(dynamicTest("resume or cancel a finished run is 409",
                ApiBadInputSweepTest::finishedRunsCannotBeResumedOrCancelled))));
        List<DynamicNode> stageTime = new ArrayList<>();
        for (StageTimeInputs.Case c : inputs.cases()) {
            stageTime.add(dynamicTest(c.name(), () -> tally("stage-time", () -> runFailsNamingTheInput(c))));
        }
        nodes.add(dynamicContainer("stage-time", stageTime));
        nodes.add(dynamicTest("valid requests still create runs", ApiBadInputSweepTest::validRequestsCreateRuns));
        nodes.add(dynamicTest("every run record reads back whole", ApiBadInputSweepTest::everyRunReadsBackWhole));
        return nodes.stream();
    }

    private static DynamicNode batch(String category, List<BadRequests.Case> cases) {
        int[] before = new int[1];
        List<DynamicNode> tests = new ArrayList<>();
        tests.add(dynamicTest("count runs", () -> before[0] = runCount()));
        for (BadRequests.Case c : cases) {
            tests.add(dynamicTest(Echo.quoted(c.name()), () -> tally(category, () -> answersWithAClearError(c))));
        }
        tests.add(dynamicTest("server still answers, no run created", () -> {
            assertEquals(200, t.get("/api/runs").statusCode());
            assertEquals(before[0], runCount(), "a bad request created a run");
        }));
        return dynamicContainer(category + " (" + cases.size() + ")", tests);
    }

    private static void answersWithAClearError(BadRequests.Case c) throws Exception {
        HttpResponse<String> r = send(c);
        String body = r.body();
        String shown = body.length() > 600 ? body.substring(0, 600) + "..." : body;
        assertEquals(c.status(), r.statusCode(), shown);
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), shown);
        JsonNode json = Json.mapper().readTree(body);
        assertEquals(2, json.size(), shown);
        assertTrue(json.path("error").isTextual() && json.path("detail").isTextual(), shown);
        String detail = json.get("detail").asText();
        assertTrue(detail.contains(c.detail()), "detail should contain '" + c.detail() + "': " + shown);
        assertFalse(LEAK.matcher(detail).find() || LEAK.matcher(json.get("error").asText()).find(),
                "a Java name or stack trace in: " + shown);
        assertTrue(body.length() < 8192, "the answer echoes too much: " + body.length() + " characters");
    }

    private static HttpResponse<String> send(BadRequests.Case c) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + t.port + c.path()))
                .timeout(Duration.ofSeconds(20));
        if (c.method().equals("GET")) {
            b.GET();
        } else {
            b.method(c.method(), HttpRequest.BodyPublishers.ofByteArray(c.body()));
            if (c.contentType() != null) b.header("Content-Type", c.contentType());
        }
        c.headers().forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void runFailsNamingTheInput(StageTimeInputs.Case c) throws Exception {
        HttpResponse<String> r = t.post("/api/stages/" + c.stage(), c.body());
        assertEquals(202, r.statusCode(), r.body());
        created++;
        Run run = t.awaitFinished(Json.mapper().readTree(r.body()).get("runId").asText(), Duration.ofSeconds(30));
        assertEquals(RunStatus.FAILED, run.status(), run.toString());
        assertEquals(c.stage(), run.failedStage());
        assertTrue(run.lastError().contains(c.error()), "error should contain '" + c.error() + "': " + run.lastError());
        assertFalse(run.lastError().contains("\tat "), run.lastError());
    }

    private static void recordRunsBeforeTheSweep() throws Exception {
        for (String body : List.of("{\"metric\": 0.1, \"avg_loss_upload_threshold\": 0.2}",
                "{\"metric\": 0.5, \"avg_loss_upload_threshold\": 0.2}")) {
            t.awaitFinished(HttpResponseAssert.accepted(t.post("/api/stages/gate", body)).get("runId").asText(),
                    Duration.ofSeconds(20));
        }
        t.awaitFinished(HttpResponseAssert.accepted(t.post("/api/stages/load-model", "{}")).get("runId").asText(),
                Duration.ofSeconds(20));
        for (Run r : t.server.store().list(null, 500)) BEFORE.put(r.id(), report(r.id()));
        assertEquals(java.util.Set.of(RunStatus.FAILED, RunStatus.REJECTED, RunStatus.SUCCEEDED),
                java.util.Set.copyOf(t.server.store().list(null, 500).stream().map(Run::status).toList()));
        countAtStart = runCount();
    }

    private static void finishedRunsCannotBeResumedOrCancelled() throws Exception {
        tally("existing runs", () -> {
            for (Run r : t.server.store().list(null, 500)) {
                if (r.status() != RunStatus.FAILED) {
                    HttpResponseAssert.status(409, r.status().name(), t.post("/api/runs/" + r.id() + "/resume", ""));
                }
                HttpResponseAssert.status(409, "only a QUEUED or RUNNING run can be cancelled",
                        t.post("/api/runs/" + r.id() + "/cancel", ""));
            }
        });
    }

    /** Bodies that look odd but are valid: an empty body means the defaults. A repeated key creates nothing. */
    private static void validRequestsCreateRuns() throws Exception {
        for (String body : List.of("", "   ", "{}", "{\"offline\": null}", "{\"offline\": true, \"seed\": -5,"
                + " \"hf_repo_id\": \"miner/sn37_model-v1.0\", \"device\": \"cpu\"}")) {
            HttpResponseAssert.accepted(t.post("/api/runs", body));
            created++;
        }
        // integers are numbers: only strings, fractions for integers, and the like are the wrong type
        HttpResponseAssert.accepted(t.post("/api/stages/gate", "{\"metric\": 0, \"avg_loss_upload_threshold\": 1}"));
        created++;
        HttpResponseAssert.accepted(t.post("/api/stages/gate", "{\"metric\": 0.1}", "Idempotency-Key", "sweep"));
        assertEquals(200, t.post("/api/stages/gate", "{\"metric\": 0.1}", "Idempotency-Key", "sweep").statusCode());
        created++;
    }

    private static void everyRunReadsBackWhole() throws Exception {
        List<Run> runs = t.server.store().list(null, 500);
        for (Run r : runs) t.awaitFinished(r.id(), Duration.ofSeconds(60));
        runs = t.server.store().list(null, 500);
        assertEquals(countAtStart + created, runs.size(), "runs created = the valid requests");
        JsonNode listed = Json.mapper().readTree(t.get("/api/runs?limit=500").body()).get("runs");
        assertEquals(runs.size(), listed.size());
        for (Run r : runs) {
            HttpResponse<String> one = t.get("/api/runs/" + r.id());
            assertEquals(200, one.statusCode(), one.body());
            JsonNode report = Json.mapper().readTree(one.body());
            assertEquals(r.id(), report.get("id").asText());
            Json.mapper().treeToValue(report.get("params"), RunParams.class);
            assertConsistent(r, t.server.store().stages(r.id()));
        }
        BEFORE.forEach((id, report) -> assertEquals(report, report(id), "run " + id + " changed during the sweep"));
    }

    /** A finished run's row agrees with its stage rows: no stage left RUNNING, a failure recorded where it happened. */
    private static void assertConsistent(Run r, List<StageExecution> stages) {
        assertFalse(r.status().isActive(), r.toString());
        assertTrue(stages.stream().noneMatch(s -> s.status() == StageStatus.RUNNING), r.id());
        if (r.status() == RunStatus.FAILED) {
            StageExecution failed = stages.stream().filter(s -> s.stage().equals(r.failedStage())).reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError("no row for failed stage of " + r));
            assertEquals(StageStatus.FAILED, failed.status(), r.id());
            assertEquals(r.lastError(), failed.error(), r.id());
        } else {
            assertTrue(stages.stream().allMatch(s -> s.status() == StageStatus.SUCCEEDED
                    || s.status() == StageStatus.SKIPPED), r.id());
        }
    }

    private static String report(String id) {
        try {
            return Json.mapper().writeValueAsString(RunReport.of(t.server.store(), id)) + t.get("/api/runs/" + id).body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static int runCount() {
        return t.server.store().list(null, 500).size();
    }

    private interface Check {
        void run() throws Exception;
    }

    private static void tally(String category, Check check) throws Exception {
        int[] n = TALLY.computeIfAbsent(category, k -> new int[2]);
        n[0]++;
        try {
            check.run();
        } catch (Exception | AssertionError e) {
            n[1]++;
            throw e;
        }
    }
}
