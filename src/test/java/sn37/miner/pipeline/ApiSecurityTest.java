package sn37.miner.pipeline;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.util.Json;
import sn37.miner.run.RunStatus;
import sn37.miner.stage.Stage;

/**
 * The API's own defences on a loopback server without a token, over raw HTTP as a browser or an attacker would
 * send it: the Host header (DNS rebinding), cross-site writes (CSRF), and one JSON error body for every status.
 */
class ApiSecurityTest {
    @TempDir static Path dir;
    static TestServer t;
    /** A run that failed in upload: resumable, so a write that got through would show as a second attempt. */
    static String failed;

    @BeforeAll
    static void start() throws Exception {
        List<Stage> stages = new ArrayList<>(TestServer.builtIn().stream().filter(s -> !s.name().equals("upload")).toList());
        stages.add(new TestStages.AlwaysFailing("upload"));
        t = TestServer.start(TestServer.settings(dir, Map.of()), stages);
        failed = HttpResponseAssert.accepted(t.post("/api/runs", "{\"avg_loss_upload_threshold\": 0.5}")).get("runId").asText();
        assertEquals(RunStatus.FAILED, t.awaitFinished(failed, Duration.ofSeconds(30)).status());
    }

    @AfterAll
    static void stop() {
        if (t != null) t.close();
    }

    private static void jsonError(int status, String detailContains, RawHttp.Answer a) throws Exception {
        assertEquals(status, a.status(), a.body());
        assertTrue(a.header("Content-Type").startsWith("application/json"), a.headers() + " " + a.body());
        JsonNode body = Json.mapper().readTree(a.body());
        assertEquals(2, body.size(), a.body());
        assertTrue(body.path("error").isTextual(), a.body());
        assertTrue(body.path("detail").asText().contains(detailContains),
                "detail should contain '" + detailContains + "': " + a.body());
    }

    private static RawHttp.Answer send(String method, String target, String body, String... headers) throws Exception {
        return RawHttp.send(t.port, method, target, body, headers);
    }

    @Test
    void aForeignHostHeaderIsRefusedOnReadsWritesAndTheDashboard() throws Exception {
        String evil = "rebind.attacker.example:" + t.port;
        int attempt = t.server.store().get(failed).attempt();
        jsonError(403, "Host", send("GET", "/api/runs", null, "Host", evil));
        jsonError(403, "Host", send("GET", "/api/runs/" + failed, null, "Host", evil));
        jsonError(403, "Host", send("GET", "/api/competitions", null, "Host", evil));
        jsonError(403, "Host", send("GET", "/", null, "Host", evil));
        jsonError(403, "Host", send("GET", "/dashboard.js", null, "Host", evil));
        jsonError(403, "Host", send("POST", "/api/runs/" + failed + "/resume", "", "Host", evil,
                "Content-Type", "application/json"));
        jsonError(403, "Host", send("GET", "/api/runs", null, "Host", "127.0.0.1.attacker.example"));
        jsonError(400, "", send("GET", "/api/runs", null, "Host", "localhost@attacker.example")); // not a host name
        assertEquals(attempt, t.server.store().get(failed).attempt());
        for (String name : List.of("127.0.0.1", "localhost", "[::1]", "LOCALHOST")) {
            assertEquals(200, send("GET", "/api/runs", null, "Host", name + ":" + t.port).status(), name);
        }
    }

    @Test
    void crossSiteWritesAreRefusedAndTheRunIsUntouched() throws Exception {
        String self = "http://127.0.0.1:" + t.port;
        String resume = "/api/runs/" + failed + "/resume";
        String cancel = "/api/runs/" + failed + "/cancel";
        for (String path : List.of(resume, cancel)) {
            // a no-body fetch(…, {mode: 'no-cors'}) or a plain form: no JSON type, no custom header
            jsonError(415, "X-Miner-Request", send("POST", path, ""));
            jsonError(415, "X-Miner-Request", send("POST", path, "a=1", "Content-Type", "application/x-www-form-urlencoded"));
            jsonError(415, "X-Miner-Request", send("POST", path, "{}", "Content-Type", "text/plain"));
            // whatever it carries, a request from another origin
            jsonError(403, "Origin", send("POST", path, "", "X-Miner-Request", "1", "Origin", "http://attacker.example"));
            jsonError(403, "Origin", send("POST", path, "", "X-Miner-Request", "1", "Origin", "http://127.0.0.1:1"));
            jsonError(403, "Origin", send("POST", path, "", "X-Miner-Request", "1", "Origin", "null"));
            jsonError(403, "Sec-Fetch-Site", send("POST", path, "", "Content-Type", "application/json",
                    "Sec-Fetch-Site", "cross-site"));
            jsonError(403, "Sec-Fetch-Site", send("POST", path, "", "Content-Type", "application/json",
                    "Sec-Fetch-Site", "same-site"));
        }
        jsonError(403, "Origin", send("POST", "/api/runs", "{}", "Content-Type", "application/json", "Origin",
                "http://attacker.example"));
        assertEquals(1, t.server.store().get(failed).attempt());
        assertEquals(RunStatus.FAILED, t.server.store().get(failed).status());

        // the same call from this server's own page, or with the custom header and no body, goes through
        RawHttp.Answer ok = send("POST", resume, "", "X-Miner-Request", "1", "Origin", self, "Sec-Fetch-Site",
                "same-origin");
        assertEquals(202, ok.status(), ok.body());
        assertEquals(2, t.awaitFinished(failed, Duration.ofSeconds(30)).attempt());
    }

    @Test
    void methodNotAllowedIsJsonWithAnAllowHeader() throws Exception {
        RawHttp.Answer a = send("DELETE", "/api/runs", null);
        jsonError(405, "DELETE is not allowed", a);
        assertEquals("GET, POST", a.header("Allow"));
        a = send("PUT", "/api/stages/gate", "{}", "Content-Type", "application/json");
        jsonError(405, "PUT is not allowed", a);
        assertEquals("POST", a.header("Allow"));
        a = send("POST", "/", "");
        jsonError(405, "POST is not allowed", a);
        assertEquals("GET", a.header("Allow"));
    }

    @Test
    void tooLargeABodyIsJson413() throws Exception {
        String body = "{\"x\": \"" + "y".repeat((int) io.vertx.ext.web.handler.BodyHandler.DEFAULT_BODY_LIMIT) + "\"}";
        jsonError(413, "bytes", send("POST", "/api/runs", body, "Content-Type", "application/json"));
    }

    @Test
    void oddPathsAreJson404() throws Exception {
        for (String path : List.of("/%2e%2e/%2e%2e/etc/passwd", "/../../etc/passwd", "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                "//etc/passwd", "/api/%2e%2e/%2e%2e/pom.xml", "/a%00b", "/.%2e/.%2e/x")) {
            RawHttp.Answer a = send("GET", path, null);
            assertTrue(a.status() == 404 || a.status() == 400, path + " -> " + a.status() + " " + a.body());
            jsonError(a.status(), "", a);
        }
        for (String target : List.of("*", "../x")) jsonError(404, "not a path", send("GET", target, null));
        // the management port answers in JSON too, and still serves health
        for (String path : List.of("/%2e%2e/%2e%2e/etc/passwd", "/nope", "/observe/nope")) {
            RawHttp.Answer a = RawHttp.send(t.managementPort, "GET", path, null, "Host", "127.0.0.1:" + t.managementPort);
            jsonError(404, "/observe/health", a);
        }
        jsonError(405, "POST is not allowed", RawHttp.send(t.managementPort, "POST", "/observe/health", "",
                "Host", "127.0.0.1:" + t.managementPort));
        assertEquals(200, t.getManagement("/observe/health").statusCode());
    }

    @Test
    void duplicateKeysAre400NamingTheKey() throws Exception {
        int before = t.server.store().list(null, 500).size();
        HttpResponseAssert.status(400, "'offline'", t.post("/api/runs", "{\"offline\": true, \"offline\": false}"));
        HttpResponseAssert.status(400, "'metric'", t.post("/api/stages/gate",
                "{\"metric\": 0.1, \"avg_loss_upload_threshold\": 0.2, \"metric\": 0.9}"));
        assertEquals(before, t.server.store().list(null, 500).size());
    }

    @Test
    void anIdempotencyKeyReusedWithAnotherBodyIs422() throws Exception {
        String body = "{\"metric\": 0.1, \"avg_loss_upload_threshold\": 0.2}";
        var first = t.post("/api/stages/gate", body, "Idempotency-Key", "reuse-1");
        assertEquals(202, first.statusCode(), first.body());
        String runId = Json.mapper().readTree(first.body()).get("runId").asText();
        HttpResponseAssert.status(422, "Idempotency-Key", t.post("/api/stages/gate",
                "{\"metric\": 0.9, \"avg_loss_upload_threshold\": 0.2}", "Idempotency-Key", "reuse-1"));
        HttpResponseAssert.status(422, "Idempotency-Key", t.post("/api/runs", "{}", "Idempotency-Key", "reuse-1"));
        // the same request, even with its fields in another order, still answers with the first run
        var again = t.post("/api/stages/gate", "{\"avg_loss_upload_threshold\": 0.2, \"metric\": 0.1}",
                "Idempotency-Key", "reuse-1");
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(runId, Json.mapper().readTree(again.body()).get("runId").asText());
    }
}
