package sn37.miner.pipeline;

import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import sn37.miner.config.Echo;
import sn37.miner.config.Json;

/**
 * A request that matches no route (an unknown path, or a method its path does not take) gets the API's JSON error
 * too, instead of Vert.x's HTML page or an empty body. Camel's router is mounted below Vert.x's own, whose error
 * handlers it does not expose, so this is a last route on Camel's router.
 */
final class UnmatchedRequests {
    private UnmatchedRequests() {}

    static void install(CamelContext camel) {
        // none without an HTTP server (the CLI's one-shot mode); the management port keeps its own answers
        for (VertxPlatformHttpRouter router : camel.getRegistry().findByType(VertxPlatformHttpRouter.class)) {
            if (router.isMainServer()) router.route().last().handler(ctx -> answer(router, ctx));
        }
    }

    private static void answer(Router router, RoutingContext ctx) {
        String path = ctx.normalizedPath();
        boolean pathKnown = router.getRoutes().stream().map(Route::getPath)
                .anyMatch(p -> p != null && path.matches(p.replaceAll(":\\w+", "[^/]+")));
        Map<String, String> body = new LinkedHashMap<>();
        if (pathKnown) {
            body.put("error", "method not allowed");
            body.put("detail", ctx.request().method() + " is not allowed on " + Echo.quoted(path)
                    + ": the methods are listed in /api/openapi.json");
        } else {
            body.put("error", "not found");
            body.put("detail", "no API path " + Echo.quoted(path) + ": the paths are listed in /api/openapi.json");
        }
        try {
            ctx.response().setStatusCode(pathKnown ? 405 : 404).putHeader("Content-Type", "application/json")
                    .end(Json.mapper().writeValueAsString(body));
        } catch (Exception e) {
            ctx.fail(pathKnown ? 405 : 404);
        }
    }
}
