package sn37.miner.pipeline;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.util.Json;
import sn37.miner.config.MinerVersion;
import sn37.miner.run.ArtifactRecord;
import sn37.miner.run.ProgressLog;
import sn37.miner.run.RunReport;
import sn37.miner.stage.ProgressEvent;
import sn37.miner.stage.RunParams;

/**
 * /api/openapi.json describes the API as it answers: its info, the address the server is bound to, and schemas
 * generated from the records the handlers write. Every answer of a run's life (created, cancelled, resumed, shown,
 * listed) and of its errors is checked against the schema the document gives for its path, method and status.
 */
class OpenApiDocumentTest {
    @TempDir static Path dir;
    /** Evaluate waits in its first run until released: a cancel then finds the run RUNNING. */
    static final TestStages.BlockingOnce evaluate = new TestStages.BlockingOnce(new TestStages.PassThrough("evaluate"));
    static TestServer t;
    static JsonNode doc;

    @BeforeAll
    static void start() throws Exception {
        t = TestServer.start(TestServer.settings(dir, Map.of()), TestServer.withExtra(evaluate));
        doc = Json.mapper().readTree(t.get("/api/openapi.json").body());
    }

    @AfterAll
    static void stop() {
        evaluate.release.countDown();
        t.close();
    }

    @Test
    void theDocumentNamesTheApiItsBoundServerAndSchemasOfTheRealTypes() {
        assertEquals("SN37 miner API", doc.at("/info/title").asText());
        assertEquals(MinerVersion.VERSION, doc.at("/info/version").asText());
        assertEquals("http://127.0.0.1:" + t.port, doc.at("/servers/0/url").asText(), doc.get("servers").toString());
        assertEquals(1, doc.get("servers").size());

        Map<String, Class<?>> types = Map.of("RunParams", RunParams.class, "RunAccepted", RunAccepted.class,
                "RunResumed", RunResumed.class, "CancelAccepted", CancelAccepted.class, "RunList", RunList.class,
                "RunReport", RunReport.class, "StageView", RunReport.StageView.class, "EffectView",
                RunReport.EffectView.class, "ArtifactRecord", ArtifactRecord.class, "ApiError", ApiError.class);
        types = new java.util.HashMap<>(types);
        types.put("ProgressItem", ProgressItem.class);
        for (Map.Entry<String, Class<?>> e : types.entrySet()) {
            JsonNode schema = doc.at("/components/schemas/" + e.getKey());
            assertFalse(schema.isMissingNode(), "no schema " + e.getKey());
            assertEquals(jsonNames(e.getValue()), names(schema.get("properties")), e.getKey());
        }
        assertTrue(doc.at("/components/schemas/RunParams/properties/competition_id/description").asText()
                .contains("live at the chain's current block"), doc.at("/components/schemas/RunParams").toString());
        for (String path : List.of("/api/runs", "/api/stages/{stage}")) {
            assertFalse(doc.at("/paths/" + path.replace("/", "~1") + "/post/responses/503").isMissingNode(),
                    "POST " + path + " documents its 503");
            assertEquals("#/components/schemas/RunParams",
                    doc.at("/paths/" + path.replace("/", "~1") + "/post/requestBody/content/application~1json/schema/$ref")
                            .asText(), path);
        }
    }

    @Test
    void everyAnswerOfARunsLifeAndOfItsErrorsConformsToTheDocumentsSchema() throws Exception {
        Answers a = new Answers(doc);

        String params = "{\"offline\": true, \"avg_loss_upload_threshold\": 0.5, \"seed\": 7}";
        assertEquals(List.of(), a.check.errors(a.requestSchema("/api/runs"), Json.mapper().readTree(params)));
        String id = Json.mapper().readTree(a.conform("post", "/api/runs", 202,
                t.post("/api/runs", params, "Idempotency-Key", "k1"))).get("runId").asText();
        a.conform("post", "/api/runs", 200, t.post("/api/runs", params, "Idempotency-Key", "k1"));
        assertTrue(evaluate.entered.await(60, TimeUnit.SECONDS));
        a.conform("post", "/api/runs/{runId}/cancel", 202, t.post("/api/runs/" + id + "/cancel", ""));
        evaluate.release.countDown();
        t.awaitFinished(id, Duration.ofMinutes(1));
        a.conform("post", "/api/runs/{runId}/resume", 202, t.post("/api/runs/" + id + "/resume", ""));
        t.awaitFinished(id, Duration.ofMinutes(1));
        a.conform("get", "/api/runs/{runId}", 200, t.get("/api/runs/" + id));
        a.conform("get", "/api/runs", 200, t.get("/api/runs?limit=5"));
        a.conform("get", "/api/runs/{runId}/progress", 200, t.get("/api/runs/" + id + "/progress"));
        // these stand-in stages report no progress: one real stored event as the endpoint writes it
        String step = Json.mapper().writeValueAsString(ProgressEvent.step("train", 3, 8, 0, 2.5, 1e-4, 0.9, 1200));
        String answer = "[" + RunApi.eventJson(new ProgressLog.Entry(4, java.time.Instant.now(), "train", step)) + "]";
        a.conform("get", "/api/runs/{runId}/progress", 200, 200, "application/json", answer);
        a.conform("get", "/api/runs/{runId}/progress", 404, t.get("/api/runs/no-such-run/progress"));

        a.conform("post", "/api/runs/{runId}/cancel", 409, t.post("/api/runs/" + id + "/cancel", ""));
        a.conform("get", "/api/runs/{runId}", 404, t.get("/api/runs/no-such-run"));
        a.conform("get", "/api/runs", 400, t.get("/api/runs?status=DONE"));
        a.conform("post", "/api/runs", 400, t.post("/api/runs", "{\"max_steps\": \"8\"}"));
        a.conform("post", "/api/runs", 415, t.post("/api/runs", "x", "Content-Type", "text/plain"));
        a.conform("post", "/api/runs", 422, t.post("/api/runs", "{\"seed\": 8}", "Idempotency-Key", "k1"));
        a.conform("post", "/api/stages/{stage}", 404, t.post("/api/stages/no-such-stage", "{}"));
        RawHttp.Answer foreign = RawHttp.send(t.port, "GET", "/api/runs", null, "Host", "rebound.example");
        a.conform("get", "/api/runs", 403, foreign.status(), foreign.header("Content-Type"), foreign.body());
    }

    @Test
    void theCheckRefusesAFieldTheSchemaDoesNotListAWrongTypeAndAMissingRequiredField() throws Exception {
        SchemaCheck check = new SchemaCheck(doc);
        JsonNode accepted = Json.mapper().readTree("{\"$ref\": \"#/components/schemas/RunAccepted\"}");
        assertEquals(List.of(), check.errors(accepted, json("{\"runId\": \"r\", \"status\": \"QUEUED\", \"created\": true}")));
        assertEquals(1, check.errors(accepted, json("{\"runId\": \"r\", \"status\": \"QUEUED\", \"created\": true, \"x\": 1}")).size());
        assertEquals(1, check.errors(accepted, json("{\"runId\": 5, \"status\": \"QUEUED\", \"created\": true}")).size());
        assertEquals(1, check.errors(accepted, json("{\"status\": \"QUEUED\", \"created\": true}")).size());
        JsonNode report = Json.mapper().readTree("{\"$ref\": \"#/components/schemas/RunReport\"}");
        assertEquals(1, check.errors(report, json("{\"id\": \"r\", \"kind\": \"pipeline\", \"status\": \"QUEUED\","
                + " \"attempt\": 1, \"cancelRequested\": false, \"autoRetries\": 0, \"createdAt\": \"yesterday\"}")).size());
    }

    private static JsonNode json(String text) throws Exception {
        return Json.mapper().readTree(text);
    }

    /** The JSON names Json.mapper() writes for {@code type}. */
    private static Set<String> jsonNames(Class<?> type) {
        Set<String> out = new TreeSet<>();
        for (BeanPropertyDefinition p : Json.mapper().getSerializationConfig()
                .introspect(Json.mapper().constructType(type)).findProperties()) {
            out.add(p.getName());
        }
        return out;
    }

    private static Set<String> names(JsonNode properties) {
        Set<String> out = new TreeSet<>();
        for (Iterator<String> it = properties.fieldNames(); it.hasNext(); ) out.add(it.next());
        return out;
    }

    /** Checks answers against the document's response schema for their path, method and status. */
    private static final class Answers {
        final JsonNode doc;
        final SchemaCheck check;

        Answers(JsonNode doc) {
            this.doc = doc;
            this.check = new SchemaCheck(doc);
        }

        JsonNode requestSchema(String path) {
            JsonNode s = doc.at("/paths/" + path.replace("/", "~1") + "/post/requestBody/content/application~1json/schema");
            assertFalse(s.isMissingNode(), "no request schema for POST " + path);
            return s;
        }

        String conform(String method, String path, int status, HttpResponse<String> r) throws Exception {
            return conform(method, path, status, r.statusCode(), r.headers().firstValue("Content-Type").orElse(""),
                    r.body());
        }

        String conform(String method, String path, int status, int answered, String type, String body) throws Exception {
            assertEquals(status, answered, method + " " + path + ": " + body);
            assertEquals("application/json", type);
            JsonNode schema = doc.at("/paths/" + path.replace("/", "~1") + "/" + method + "/responses/" + status
                    + "/content/application~1json/schema");
            assertFalse(schema.isMissingNode(), "the document gives no schema for " + status + " of " + method + " "
                    + path);
            List<String> errors = check.errors(schema, Json.mapper().readTree(body));
            assertEquals(List.of(), errors, method + " " + path + " " + status + " answered " + body);
            return body;
        }
    }
}
