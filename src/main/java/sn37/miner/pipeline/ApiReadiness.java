package sn37.miner.pipeline;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import sn37.miner.config.ConfigException;

/**
 * The server is ready once its API port is bound. Vert.x binds it while Camel starts and, when the bind fails,
 * only logs it and serves on without an API. Before Camel starts, {@link #requireFree} refuses a port that is
 * already taken; as a start-up listener this fails the start when the bind failed all the same (the port was
 * taken in between); as a readiness check it stays DOWN until the bound port has been seen.
 */
final class ApiReadiness extends AbstractHealthCheck implements StartupListener {
    static final String KEYS = "camel.server.host, camel.server.port";

    private final String host;
    private final int port;
    private volatile boolean bound;

    ApiReadiness(String host, int port) {
        super("pipeline", "api");
        this.host = host;
        this.port = port;
    }

    int port() {
        return port;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (bound && listening(getCamelContext())) {
            builder.up();
        } else {
            builder.message("the API is not listening on " + address(host, port)).down();
        }
    }

    /** Joins the health checks (their registry exists by now; it does not yet when routes are configured). */
    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) {
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) health.register(this);
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        if (!listening(context)) {
            String why = bindFailure(host, port);
            throw new ConfigException("the API cannot listen on " + address(host, port) + ": "
                    + (why == null ? "the bind failed" : why) + " (" + KEYS + ")");
        }
        bound = true;
    }

    /**
     * The HTTP server has bound its port and still holds it. The public HttpServer of Vert.x tells neither (its
     * actualPort() is the configured port even after a failed bind); its TCPServerBase clears isListening() when
     * the bind fails, and Camel has waited for the bind's outcome by the time its routes have started.
     */
    private static boolean listening(CamelContext context) {
        VertxPlatformHttpServer server = context == null ? null : context.hasService(VertxPlatformHttpServer.class);
        return server != null && server.getServer() instanceof io.vertx.core.net.impl.TCPServerBase tcp
                && tcp.isListening();
    }

    /** Refuses, before anything binds, an API port that is taken. */
    void requireFree() {
        requireFree(host, port, KEYS);
    }

    /** Refuses, before anything binds, a port that this machine does not let the server listen on. */
    static void requireFree(String host, int port, String keys) {
        String failure = bindFailure(host, port);
        if (failure != null) {
            throw new ConfigException("cannot listen on " + address(host, port) + ": " + failure + " (" + keys + ")");
        }
    }

    /** Why binding host:port fails now, or null when it does not. */
    private static String bindFailure(String host, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as Vert.x binds: a port in TIME_WAIT is free
            probe.bind(new InetSocketAddress(host, port));
            return null;
        } catch (IOException | RuntimeException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }

    private static String address(String host, int port) {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
