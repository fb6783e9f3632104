package sn37.miner.pipeline;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.config.ConfigException;
import sn37.miner.config.Settings;

/** The server is ready only with its API port bound, and does not start without it. */
class ApiReadinessTest {
    @TempDir Path dir;

    @Test
    void apiPortTakenBeforeCreateIsRefusedNamingHostAndPort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Settings s = TestServer.settings(dir, Map.of("camel.server.port", String.valueOf(taken.getLocalPort())));
            ConfigException e = assertThrows(ConfigException.class, () -> PipelineServer.create(s, TestServer.builtIn()));
            assertEquals("cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": Address already in use (camel.server.host, camel.server.port)", e.getMessage());
        }
    }

    @Test
    void managementPortTakenIsRefusedNamingItsKeys() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Settings s = TestServer.settings(dir, Map.of("camel.management.port", String.valueOf(taken.getLocalPort())));
            ConfigException e = assertThrows(ConfigException.class, () -> PipelineServer.create(s, TestServer.builtIn()));
            assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": "), e.getMessage());
            assertTrue(e.getMessage().endsWith("(camel.management.host, camel.management.port)"), e.getMessage());
        }
    }

    @Test
    void apiPortTakenWhileStartingFailsTheStartInsteadOfServingWithoutAnApi() throws Exception {
        Settings s = TestServer.settings(dir, Map.of());
        int port = Integer.parseInt(s.get("camel.server.port"));
        PipelineServer server = PipelineServer.create(s, TestServer.builtIn());
        try (ServerSocket taken = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            ConfigException e = assertThrows(ConfigException.class, server::start);
            assertEquals("the API cannot listen on 127.0.0.1:" + port
                    + ": Address already in use (camel.server.host, camel.server.port)", e.getMessage());
            assertFalse(server.isRunning());
        } finally {
            server.close();
        }
    }

    @Test
    void readinessHasAnApiCheckThatIsUpOnceServing() {
        try (TestServer t = TestServer.start(dir)) {
            HealthCheck.Result api = HealthCheckHelper.invoke(t.server.context(),
                    c -> Map.of(HealthCheck.CHECK_KIND, HealthCheck.Kind.READINESS), c -> !c.isReadiness(), "full")
                    .stream().filter(r -> r.getCheck().getId().equals("api")).findFirst().orElseThrow();
            assertEquals(HealthCheck.State.UP, api.getState());
            assertFalse(api.getCheck().isLiveness(), "readiness only: a lost port is not cured by a restart loop");
        }
    }
}
