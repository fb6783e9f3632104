package sn37.miner.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.MinerApp;
import sn37.miner.config.Settings;
import sn37.miner.testing.Slow;

/**
 * {@code miner serve} is ready only once its API port is bound: until then its health is not UP, and a port it
 * cannot bind ends the process with a non-zero exit and one error line naming host:port.
 */
@Slow
class ServeStartupTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir Path dir;

    @Test
    void apiPortTakenExitsNonZeroWithOneLineNamingHostAndPortAndNeverReportsHealthUp() throws Exception {
        int managementPort = freePort();
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            CliProcess.Running serve = serve(port, managementPort);
            List<String> healthSeen = new ArrayList<>();
            long safety = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (serve.isAlive() && System.nanoTime() < safety) {
                String health = health(managementPort);
                if (health != null) healthSeen.add(health);
                if (health != null && health.contains("UP")) break;
                Thread.sleep(50);
            }
            boolean exited = serve.awaitExit(Duration.ofSeconds(30));
            if (!exited) serve.kill();
            CliProcess.Result r = serve.result();
            assertTrue(healthSeen.stream().noneMatch(h -> h.contains("UP")),
                    "health reported UP while the API port was taken:\n" + r.err());
            assertTrue(exited, "serve kept running with its API port taken:\n" + r.err());
            assertNotEquals(0, r.code(), r.err());
            List<String> errors = r.err().lines().filter(l -> l.startsWith("error: ")).toList();
            assertEquals(1, errors.size(), r.err());
            assertTrue(errors.get(0).contains("127.0.0.1:" + port), errors.get(0));
            assertFalse(r.err().contains("\tat "), "a stack trace:\n" + r.err());
        }
    }

    @Test
    void healthIsUpOnlyWhenTheApiAnswers() throws Exception {
        int port = freePort();
        int managementPort = freePort();
        CliProcess.Running serve = serve(port, managementPort);
        try {
            String health = null;
            long safety = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (serve.isAlive() && System.nanoTime() < safety && (health == null || !health.contains("UP"))) {
                health = health(managementPort);
                Thread.sleep(20);
            }
            assertNotNull(health, "no health answer");
            assertTrue(health.contains("UP"), health);
            HttpResponse<String> runs = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/runs")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, runs.statusCode(), runs.body());
        } finally {
            serve.kill();
        }
    }

    @Test
    void portOutOfRangeIsOneLineNamingTheFlagNotAStackTrace() {
        CliProcess.Result r = CliProcess.run(List.of("serve", "--camel.server.port=99999",
                "--pipeline.db.path=" + dir.resolve("db/pipeline")));
        assertEquals(2, r.code(), r.err());
        assertEquals("error: --camel.server.port: camel.server.port must be an integer in [1, 65535]", r.err().strip());
    }

    @Test
    void invalidCronFromTheEnvironmentIsOneLineNamingTheVariable() {
        CliProcess.Result r = CliProcess.run(List.of("serve", "--pipeline.db.path=" + dir.resolve("db/pipeline")),
                Map.of("PIPELINE_SWEEPER_CRON", "every minute"));
        assertEquals(2, r.code(), r.err());
        assertEquals("error: environment variable PIPELINE_SWEEPER_CRON: pipeline.sweeper.cron must be a Quartz cron"
                + " expression (seconds minutes hours day-of-month month day-of-week [year])", r.err().strip());
    }

    @Test
    void garbageLineInThePropertiesFileIsOneLineNamingFileAndLine() throws Exception {
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve("config"));
        Path file = home.resolve(Settings.FILE);
        List<String> lines = new ArrayList<>(Files.readAllLines(MinerApp.home().resolve(Settings.FILE)));
        lines.add(20, "oops this is not a key");
        Files.write(file, lines);
        Files.copy(MinerApp.home().resolve("config/logback.xml"), home.resolve("config/logback.xml"));
        CliProcess.Running serve = CliProcess.start(home, List.of("serve"), Map.of());
        if (!serve.awaitExit(Duration.ofMinutes(2))) serve.kill();
        CliProcess.Result r = serve.result();
        assertEquals(2, r.code(), r.err());
        assertEquals("error: " + file + ":21: expected key=value (a key of letters, digits, '.', '-' and '_', then"
                + " '='), or a comment starting with #", r.err().strip());
    }

    private CliProcess.Running serve(int port, int managementPort) {
        return CliProcess.start(List.of("serve", "--camel.server.port=" + port,
                "--camel.management.port=" + managementPort, "--pipeline.db.path=" + dir.resolve("db/pipeline"),
                "--pipeline.work-dir=" + dir.resolve("runs"), "--pipeline.sweeper.enabled=false"), Map.of());
    }

    /** The health body, or null while nothing answers on the management port. */
    private static String health(int managementPort) throws InterruptedException {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + managementPort + "/observe/health"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body();
        } catch (IOException notListening) {
            return null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
