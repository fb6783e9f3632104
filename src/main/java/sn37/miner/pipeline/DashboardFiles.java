package sn37.miner.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import sn37.miner.util.Echo;

/**
 * Serves the run dashboard (classpath {@code dashboard/}) at {@code /} of the API port. Only a plain file name of
 * a known type is looked up, so no request reaches anything outside that folder.
 */
public final class DashboardFiles {
    private static final String FOLDER = "dashboard/";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*\\.(html|js|css)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");
    /** The page talks only to its own origin and is never framed (its Resume button must not be clickjacked). */
    private static final String CSP = "default-src 'self'; frame-ancestors 'none'";

    public void index(Exchange ex) throws IOException {
        send(ex, "index.html");
    }

    public void file(Exchange ex) throws IOException {
        // the request path, not the {file} header: query parameters become headers too
        String path = ex.getIn().getHeader(Exchange.HTTP_PATH, String.class);
        send(ex, path == null ? "" : path.substring(path.lastIndexOf('/') + 1));
    }

    /** {@code /{file}} also catches one-segment paths meant for the API, such as {@code /api}: the 404 says both. */
    private static void send(Exchange ex, String name) throws IOException {
        Matcher m = NAME.matcher(name);
        byte[] body = null;
        if (m.matches()) {
            try (InputStream in = DashboardFiles.class.getClassLoader().getResourceAsStream(FOLDER + name)) {
                if (in != null) body = in.readAllBytes();
            }
        }
        if (body == null) {
            throw new ApiException(404, "no API path or dashboard file " + Echo.quoted("/" + name)
                    + ": the API paths are listed in /api/openapi.json, the dashboard is at /");
        }
        ex.getMessage().removeHeaders("*");
        ex.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        ex.getMessage().setHeader(Exchange.CONTENT_TYPE, TYPES.get(m.group(1)));
        ex.getMessage().setHeader("X-Content-Type-Options", "nosniff");
        ex.getMessage().setHeader("Content-Security-Policy", CSP);
        ex.getMessage().setBody(body);
    }
}
