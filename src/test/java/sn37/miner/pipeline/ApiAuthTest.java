package sn37.miner.pipeline;

import static org.junit.jupiter.api.Assertions.*;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import sn37.miner.config.ConfigException;
import sn37.miner.config.PipelineSettings;

class ApiAuthTest {
    private static final String TOKEN = "sentinel-api-token-3b9f";
    private static final String GATE = "{\"metric\": 0.1, \"avg_loss_upload_threshold\": 0.2}";

    @TempDir Path dir;

    @Test
    void configuredTokenGuardsEveryApiCallButNotTheDashboardFiles() throws Exception {
        try (TestServer t = TestServer.start(TestServer.settings(dir, Map.of("pipeline.api.token", TOKEN)),
                TestServer.builtIn())) {
            var denied = HttpResponseAssert.status(401, "Authorization: Bearer", t.post("/api/stages/gate", GATE));
            assertFalse(denied.toString().contains(TOKEN));
            HttpResponseAssert.status(401, "Authorization", t.post("/api/runs", "{}", "Authorization", "Bearer wrong"));
            HttpResponseAssert.status(401, "Authorization", t.post("/api/runs", "{}", "Authorization", "Bearer " + TOKEN + "x"));
            HttpResponseAssert.status(401, "Authorization", t.post("/api/runs", "{}", "Authorization", "Basic " + TOKEN));
            String runId = HttpResponseAssert.accepted(t.post("/api/stages/gate", GATE, "Authorization", "Bearer " + TOKEN))
                    .get("runId").asText();

            for (String read : List.of("/api/runs", "/api/runs/" + runId, "/api/competitions")) {
                HttpResponseAssert.status(401, "Authorization", t.get(read));
                HttpResponseAssert.status(401, "Authorization", t.get(read, "Authorization", "Bearer wrong"));
                assertEquals(200, t.get(read, "Authorization", "Bearer " + TOKEN).statusCode(), read);
            }
            assertEquals(200, t.get("/").statusCode(), "the dashboard page loads without the token; it asks for it");
            assertEquals(200, t.get("/dashboard.js").statusCode());
        }
    }

    @Test
    void theBearerSchemeIsCaseInsensitive() throws Exception {
        try (TestServer t = TestServer.start(TestServer.settings(dir, Map.of("pipeline.api.token", TOKEN)),
                TestServer.builtIn())) {
            for (String scheme : List.of("bearer", "BEARER", "bEaReR")) {
                HttpResponseAssert.accepted(t.post("/api/stages/gate", GATE, "Authorization", scheme + " " + TOKEN));
                assertEquals(200, t.get("/api/runs", "Authorization", scheme + " " + TOKEN).statusCode(), scheme);
            }
        }
    }

    @Test
    void aWhitespaceOnlyTokenCountsAsUnset() {
        ConfigException e = assertThrows(ConfigException.class, () -> PipelineSettings.from(TestServer.settings(dir,
                Map.of("camel.server.host", "0.0.0.0", "pipeline.api.token", " \t "))));
        assertTrue(e.getMessage().contains("pipeline.api.token"), e.getMessage());
        assertTrue(PipelineSettings.from(TestServer.settings(dir, Map.of("pipeline.api.token", "   "))).apiToken().isEmpty());
    }

    @Test
    void aManagementPortBeyondLoopbackLogsOneWarning() throws Exception {
        Logger log = (Logger) LoggerFactory.getLogger(ApiAuth.class);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        log.addAppender(seen);
        try (TestServer t = TestServer.start(TestServer.settings(dir, Map.of("camel.management.host", "0.0.0.0")),
                TestServer.builtIn())) {
            List<String> warnings = seen.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.contains("camel.management.host")).toList();
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("0.0.0.0") && warnings.get(0).contains("not a loopback address"));
        } finally {
            log.detachAppender(seen);
        }
        seen.list.clear();
        log.addAppender(seen);
        try (TestServer t = TestServer.start(TestServer.settings(dir.resolve("b"), Map.of()), TestServer.builtIn())) {
            assertTrue(seen.list.stream().noneMatch(e -> e.getFormattedMessage().contains("camel.management.host")));
        } finally {
            log.detachAppender(seen);
        }
    }
}
