package sn37.miner.pipeline;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import sn37.miner.config.Env;
import sn37.miner.util.Json;
import sn37.miner.config.Settings;
import sn37.miner.io.Canaries;
import sn37.miner.run.Run;
import sn37.miner.run.RunStatus;
import sn37.miner.stage.BuiltInStages;
import sn37.miner.stage.Stage;

/**
 * Files of sentinel secrets ({@link Canaries}) given to the real server as every path parameter of a run and of a
 * single stage (data_path, init_config, load_model_dir), placed inside the miner's home and outside it: whether the
 * API refuses the path or the stage fails on it, no HTTP answer, log line or database file holds a sentinel. And
 * {@code data_path: /dev/zero} ends quickly, naming the kind of file, with the queue free for the next run.
 */
class ApiFileCanaryTest {
    @TempDir static Path dir;
    static TestServer t;
    static ListAppender<ILoggingEvent> logs;
    static final List<String> answers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        logs = new ListAppender<>();
        logs.start();
        root().addAppender(logs);
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.createDirectories(home.resolve("config"));
        Files.copy(Path.of(Settings.FILE), home.resolve(Settings.FILE));
        Files.createDirectories(home.resolve("routes"));
        try (var routes = Files.list(Path.of("routes"))) {
            for (Path r : routes.toList()) Files.copy(r, home.resolve("routes").resolve(r.getFileName()));
        }
        Map<String, String> o = new HashMap<>();
        o.put("pipeline.db.path", home.resolve("db/pipeline").toString());
        o.put("pipeline.work-dir", home.resolve("runs").toString());
        o.put("camel.server.port", String.valueOf(TestServer.freePort()));
        o.put("camel.management.port", String.valueOf(TestServer.freePort()));
        o.put("pipeline.heartbeat-seconds", "1");
        o.put("pipeline.sweeper.enabled", "false");
        Settings settings = Settings.load(home, Env.of(Map.of()), List.of()).with(o);
        // the real fetch-data and load-model; train and evaluate are stand-ins (TestServer)
        List<Stage> stages = BuiltInStages.all(settings, Env.of(Map.of())).stream()
                .filter(s -> !List.of("train", "evaluate").contains(s.name())).toList();
        t = TestServer.start(settings, stages);
    }

    @AfterAll
    static void stop() {
        if (t != null) t.close();
        if (logs != null) root().detachAppender(logs);
    }

    /** Canary files in the miner's home (its data and models dirs) and outside it. */
    static Map<String, String> paths() throws Exception {
        Map<String, String> paths = new LinkedHashMap<>();
        for (Path base : List.of(dir.resolve("home/data"), dir.resolve("outside"))) {
            String where = base.endsWith("outside") ? "outside the home" : "in the home";
            paths.put(".env " + where, Canaries.dotEnv(base).toString());
        }
        for (Path base : List.of(dir.resolve("home/models"), dir.resolve("outside/models"))) {
            String where = base.startsWith(dir.resolve("outside")) ? "outside the home" : "in the home";
            Canaries.modelDirs(base).forEach((what, model) -> paths.put(what + " " + where, model.toString()));
        }
        return paths;
    }

    @TestFactory
    Stream<DynamicTest> noSentinelLeavesThroughAnyPathParameter() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        paths().forEach((what, path) -> {
            String file = path.endsWith(".env") ? path : path + "/config.json";
            // an init_config run reads only config.json: a dir broken elsewhere gives a valid one
            boolean badConfig = path.endsWith(".env") || what.startsWith("config.json");
            tests.add(dynamicTest("run data_path: " + what, () -> send("/api/runs",
                    Map.of("offline", true, "data_path", path, "init_config", "tiny-llama"), true)));
            tests.add(dynamicTest("stage fetch-data data_path: " + what, () -> send("/api/stages/fetch-data",
                    Map.of("offline", true, "data_path", path), true)));
            tests.add(dynamicTest("run init_config: " + what, () -> send("/api/runs",
                    Map.of("offline", true, "init_config", file), badConfig)));
            tests.add(dynamicTest("stage load-model init_config: " + what, () -> send("/api/stages/load-model",
                    Map.of("offline", true, "init_config", file), badConfig)));
            tests.add(dynamicTest("run load_model_dir: " + what, () -> send("/api/runs",
                    Map.of("offline", true, "load_model_dir", path), true)));
            tests.add(dynamicTest("stage load-model load_model_dir: " + what, () -> send("/api/stages/load-model",
                    Map.of("offline", true, "load_model_dir", path), true)));
        });
        tests.add(dynamicTest("the run list and every run report", () -> {
            answers.add(t.get("/api/runs?limit=500").body());
            for (Run r : t.server.store().list(null, 500)) answers.add(t.get("/api/runs/" + r.id()).body());
            answers.forEach(a -> Canaries.assertNone("an HTTP answer", a));
        }));
        tests.add(dynamicTest("every log line", () -> {
            for (ILoggingEvent e : List.copyOf(logs.list)) {
                Canaries.assertNone("the log", e.getFormattedMessage());
                if (e.getThrowableProxy() != null) {
                    Canaries.assertNone("a logged stack trace", ThrowableProxyUtil.asString(e.getThrowableProxy()));
                }
            }
        }));
        tests.add(dynamicTest("the database and the runs' files", () -> {
            t.server.store().list(null, 500).forEach(r -> {
                Canaries.assertNone("run " + r.id(), r.lastError());
                t.server.store().stages(r.id()).forEach(s -> {
                    Canaries.assertNone("stage error", s.error());
                    Canaries.assertNone("stage outputs", s.outputsJson());
                });
            });
            Canaries.assertNoneInFiles(dir.resolve("home/runs"));
            Canaries.assertNoneInFiles(dir.resolve("home/db"));
        }));
        return tests.stream();
    }

    @Test
    void devZeroAsDataPathFailsNamingItsKindAndTheQueueTakesTheNextRun() throws Exception {
        HttpResponse<String> r = t.post("/api/stages/fetch-data", "{\"offline\": true, \"data_path\": \"/dev/zero\"}");
        String error;
        if (r.statusCode() == 202) {
            Run run = t.awaitFinished(id(r), Duration.ofSeconds(60));
            assertEquals(RunStatus.FAILED, run.status(), run.toString());
            assertEquals("fetch-data", run.failedStage());
            error = run.lastError();
        } else {
            // refused up front is as good, if the answer says why
            assertEquals(400, r.statusCode(), r.body());
            error = Json.mapper().readTree(r.body()).path("detail").asText();
        }
        assertTrue(error.contains("/dev/zero") && error.contains("not a regular file")
                || error.contains("must lie under"), error); // outside the data root it is refused before any read
        Run next = t.awaitFinished(HttpResponseAssert.accepted(t.post("/api/stages/fetch-data",
                "{\"offline\": true}")).get("runId").asText(), Duration.ofSeconds(60));
        assertEquals(RunStatus.SUCCEEDED, next.status(), next.toString());
    }

    private static void send(String path, Map<String, Object> body, boolean mustFail) throws Exception {
        HttpResponse<String> r = t.post(path, Json.mapper().writeValueAsString(body));
        answers.add(r.body());
        Canaries.assertNone("the answer to " + path, r.body());
        if (r.statusCode() == 202) {
            Run run = t.awaitFinished(id(r), Duration.ofSeconds(120));
            if (mustFail) assertEquals(RunStatus.FAILED, run.status(), "a run on a file of secrets: " + run);
            Canaries.assertNone("the run's error", run.lastError());
            answers.add(t.get("/api/runs/" + run.id()).body());
        } else {
            assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, r.statusCode() + " " + r.body());
        }
    }

    private static String id(HttpResponse<String> r) throws Exception {
        assertEquals(202, r.statusCode(), r.body());
        JsonNode json = Json.mapper().readTree(r.body());
        return json.get("runId").asText();
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
