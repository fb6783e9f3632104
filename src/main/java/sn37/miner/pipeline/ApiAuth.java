package sn37.miner.pipeline;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import io.vertx.core.net.HostAndPort;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.util.Echo;
import sn37.miner.config.PipelineSettings;

/**
 * Who may call the API. Every call must name this server in its {@code Host} header (a rebound DNS name cannot),
 * and carry {@code Authorization: Bearer <pipeline.api.token>} when a token is configured. A state-changing call
 * must also come from this server's own origin and carry something a cross-site form or a no-body fetch cannot
 * send: a JSON content type or the {@code X-Miner-Request} header.
 */
public final class ApiAuth {
    private static final Logger LOG = LoggerFactory.getLogger(ApiAuth.class);
    static final String REQUEST_HEADER = "X-Miner-Request";

    private final Optional<byte[]> tokenDigest;
    private final List<String> hostNames;
    private final boolean anyIp;

    ApiAuth(PipelineSettings settings) {
        this.tokenDigest = settings.apiToken().map(t -> sha256(t.reveal()));
        this.hostNames = settings.hostNames();
        this.anyIp = settings.bindsEveryInterface();
        settings.bindWarnings().forEach(LOG::warn);
    }

    /** A read: the dashboard's data calls and any other GET of the API. */
    public void read(Exchange ex) {
        checkHost(ex);
        checkToken(ex);
    }

    /** A call that changes state (every POST). */
    public void write(Exchange ex) {
        checkHost(ex);
        checkSameOrigin(ex);
        checkNotAForm(ex);
        checkToken(ex);
    }

    /** The dashboard's static files: no token (the page asks for it), but only under this server's names. */
    public void page(Exchange ex) {
        checkHost(ex);
    }

    private void checkHost(Exchange ex) {
        String host = host(ex);
        String name = host == null ? "" : PipelineSettings.hostName(host);
        if (hostNames.contains(name) || (anyIp && PipelineSettings.isIpLiteral(name))) return;
        throw new ApiException(403, "the Host header " + (host == null ? "is missing" : "names " + Echo.quoted(name))
                + ", which is not a name of this server: use one of " + String.join(", ", hostNames)
                + (anyIp ? " or an IP address" : "") + ", or add the name to pipeline.api.allowed-hosts");
    }

    /** The origin is compared with the Host header, which {@link #checkHost} has already accepted. */
    private static void checkSameOrigin(Exchange ex) {
        String origin = header(ex, "Origin");
        String host = host(ex).strip().toLowerCase(Locale.ROOT);
        boolean sameOrigin = origin != null && (origin.equalsIgnoreCase("http://" + host)
                || origin.equalsIgnoreCase("https://" + host));
        if (origin != null && !sameOrigin) {
            throw new ApiException(403, "cross-origin request refused: the Origin header " + Echo.quoted(origin)
                    + " is not this server's origin; state-changing calls are taken only from the dashboard of this"
                    + " server or from a client that sends no Origin");
        }
        String site = header(ex, "Sec-Fetch-Site");
        if (site != null) site = site.strip().toLowerCase(Locale.ROOT);
        if ("cross-site".equals(site) || ("same-site".equals(site) && !sameOrigin)) {
            throw new ApiException(403, "cross-site request refused (Sec-Fetch-Site: " + site + "): state-changing"
                    + " calls are taken only from this server's own origin");
        }
    }

    /** A form or a fetch in no-cors mode can send neither a JSON content type nor a custom header. */
    private static void checkNotAForm(Exchange ex) {
        String type = header(ex, Exchange.CONTENT_TYPE);
        boolean json = type != null && type.toLowerCase(Locale.ROOT).contains("json");
        if (!json && header(ex, REQUEST_HEADER) == null) {
            throw new ApiException(415, "a state-changing call needs 'Content-Type: application/json', or, without"
                    + " a body, the header '" + REQUEST_HEADER + ": 1'" + (type == null ? "" : " (got Content-Type "
                    + Echo.quoted(type) + ")"));
        }
    }

    /** The scheme is case-insensitive (RFC 7235); the token is compared in constant time, whatever its length. */
    private void checkToken(Exchange ex) {
        if (tokenDigest.isEmpty()) return;
        String header = header(ex, "Authorization");
        String given = null;
        if (header != null) {
            String h = header.strip();
            int space = h.indexOf(' ');
            if (space > 0 && h.substring(0, space).equalsIgnoreCase("Bearer")) given = h.substring(space + 1).strip();
        }
        if (given == null || !MessageDigest.isEqual(tokenDigest.get(), sha256(given))) {
            throw new ApiException(401, "this call needs the header 'Authorization: Bearer <pipeline.api.token>'");
        }
    }

    private static String header(Exchange ex, String name) {
        return ex.getIn().getHeader(name, String.class);
    }

    /**
     * The request's Host header, or HTTP/2's {@code :authority} (Java's client upgrades to h2c), as host:port. Camel
     * does not pass Host on as a message header, so it is read from the Vert.x request.
     */
    private static String host(Exchange ex) {
        if (!(ex.getIn() instanceof HttpMessage http)) return header(ex, "Host");
        HostAndPort a = http.getRequest().authority();
        if (a == null) return null;
        String h = a.host().contains(":") && !a.host().startsWith("[") ? "[" + a.host() + "]" : a.host();
        return a.port() < 0 ? h : h + ":" + a.port();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
