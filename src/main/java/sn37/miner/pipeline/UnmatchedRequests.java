package sn37.miner.pipeline;

import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.util.Echo;
import sn37.miner.util.Json;

/**
 * A request that matches no route (an unknown path, or a method its path does not take) gets the API's JSON error
 * too, instead of Vert.x's HTML page or an empty body; so does one the HTTP layer fails (a body over the limit).
 * Camel's router is mounted below Vert.x's own, whose error handlers it does not expose, so this is a last route
 * and a failure handler on Camel's router.
 */
final class UnmatchedRequests {
    private static final Logger LOG = LoggerFactory.getLogger(UnmatchedRequests.class);

    private UnmatchedRequests() {}

    static void install(CamelContext camel) {
        // none without an HTTP server (the CLI's one-shot mode)
        for (VertxPlatformHttpRouter router : camel.getRegistry().findByType(VertxPlatformHttpRouter.class)) {
            if (!router.isMainServer() && !router.isManagementServer()) continue;
            String listed = router.isMainServer() ? "the paths are listed in /api/openapi.json"
                    : "the management port serves /observe/health and /observe/metrics";
            router.route().last().handler(ctx -> answer(router, ctx, listed));
            Long max = router.getServer().getMaxBodySize();
            long limit = max == null ? BodyHandler.DEFAULT_BODY_LIMIT : max;
            router.route().failureHandler(ctx -> failed(ctx, limit));
        }
    }

    private static void answer(Router router, RoutingContext ctx, String listed) {
        String path = ctx.normalizedPath();
        // the methods of the routes whose path matches, for the Allow header of a 405 (RFC 9110 §15.5.6)
        Set<String> allowed = new TreeSet<>();
        boolean pathKnown = false;
        for (Route r : router.getRoutes()) {
            String p = r.getPath();
            if (p == null || !path.matches(p.replaceAll(":\\w+", "[^/]+"))) continue;
            pathKnown = true;
            if (r.methods() != null) r.methods().forEach(m -> allowed.add(m.name()));
        }
        ApiError body;
        if (pathKnown) {
            if (!allowed.isEmpty()) ctx.response().putHeader("Allow", String.join(", ", allowed));
            body = new ApiError("method not allowed", ctx.request().method() + " is not allowed on "
                    + Echo.quoted(path) + "; " + listed);
        } else {
            body = new ApiError("not found", "no API path " + Echo.quoted(path) + ": " + listed);
        }
        send(ctx, pathKnown ? 405 : 404, body);
    }

    /** A request the HTTP layer gave up on: the body handler's 413, an unreadable request, or an exception. */
    private static void failed(RoutingContext ctx, long bodyLimit) {
        if (ctx.response().headWritten()) {
            ctx.response().close();
            return;
        }
        int status = ctx.statusCode() == -1 ? 500 : ctx.statusCode();
        ApiError body;
        if (status == 413) {
            body = new ApiError("request body too large", "the request body is over the limit of " + bodyLimit
                    + " bytes; run parameters are a small JSON object");
        } else if (status == 404) {
            body = new ApiError("not found", "the request target is not a path of this server");
        } else if (status >= 400 && status < 500) {
            body = new ApiError("bad request", "the request could not be read (HTTP " + status + ")");
        } else {
            status = 500;
            body = new ApiError("internal error", "the server could not complete the request; see the server log");
            LOG.error("API request failed", ctx.failure());
        }
        send(ctx, status, body);
    }

    private static void send(RoutingContext ctx, int status, ApiError body) {
        try {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(Json.mapper().writeValueAsString(body));
        } catch (Exception e) {
            ctx.response().setStatusCode(status).end();
        }
    }
}
