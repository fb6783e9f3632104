package sn37.miner.wandb;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.util.Secret;
import sn37.miner.util.Sleeper;

/**
 * POSTs JSON to one W&B base URL with {@code Authorization: Basic base64("api:" + key)}, as wandb-core's
 * {@code credentials.go} does, and only to URLs under that base ({@code httplayers.LimitTo}); redirects are not
 * followed, so the key cannot travel elsewhere. Retries follow {@link WandbRetry}.
 */
public final class WandbHttp {
    private static final Logger LOG = LoggerFactory.getLogger(WandbHttp.class);
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final String USER_AGENT = "sn37-miner-wandb/0.1 (java)";
    // wandb's encoders write NaN/Infinity as bare literals (Python json, simplejsonext), and the server reads them.
    static final JsonMapper JSON = JsonMapper.builder()
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private final OkHttpClient client;
    private final HttpUrl base;
    private final String authorization;
    private final String keyHint;
    private final WandbRetry retry;
    private final Sleeper sleeper;

    /**
     * @param keyHint where the key comes from, for error messages, e.g. "WANDB_ACCESS_TOKEN (or WANDB_API_KEY)"
     */
    public WandbHttp(OkHttpClient client, String baseUrl, Secret key, String keyHint, WandbRetry retry,
            Sleeper sleeper) {
        HttpUrl parsed = HttpUrl.parse(Objects.requireNonNull(baseUrl, "baseUrl"));
        if (parsed == null) {
            throw new IllegalArgumentException("W&B base URL '" + baseUrl + "' is not an http(s) URL:"
                    + " set miner.wandb.base-url (or WANDB_BASE_URL) to e.g. https://api.wandb.ai");
        }
        this.base = parsed;
        this.client = client.newBuilder().followRedirects(false).followSslRedirects(false)
                .retryOnConnectionFailure(false).build();
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                ("api:" + Objects.requireNonNull(key, "key").reveal()).getBytes(StandardCharsets.UTF_8));
        this.keyHint = keyHint;
        this.retry = retry;
        this.sleeper = sleeper;
    }

    public static OkHttpClient defaultClient() {
        return new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(30))
                .readTimeout(Duration.ofSeconds(100)) // the finetuning loader's wandb.Api(timeout=100)
                .writeTimeout(Duration.ofSeconds(60))
                .build();
    }

    /** {@code base} plus the path segments (each one encoded), for requests and for error messages. */
    HttpUrl url(String... segments) {
        HttpUrl.Builder b = base.newBuilder();
        if (base.encodedPath().endsWith("/")) {
            b.removePathSegment(base.pathSize() - 1);
        }
        for (String segment : segments) {
            b.addPathSegment(segment);
        }
        return b.build();
    }

    /** POSTs {@code body} as JSON to {@code url} (from {@link #url}) and returns the parsed JSON answer. */
    JsonNode post(HttpUrl url, JsonNode body, String what) throws IOException {
        if (!isUnderBase(url)) {
            throw new IllegalArgumentException("refusing to send the W&B key outside " + base + ": " + url.host());
        }
        byte[] bytes = JSON.writeValueAsBytes(body);
        Request request = new Request.Builder().url(url)
                .header("Authorization", authorization)
                .header("User-Agent", USER_AGENT)
                .post(RequestBody.create(bytes, JSON_TYPE))
                .build();
        Duration backoff = retry.baseWait();
        for (int attempt = 1; ; attempt++) {
            boolean last = attempt >= retry.attempts();
            String failure;
            Duration wait = backoff;
            try (Response response = client.newCall(request).execute()) {
                int code = response.code();
                if (response.isSuccessful()) {
                    return parse(response, what);
                }
                String server = serverMessage(response);
                if (code == 401 || code == 403) {
                    throw new WandbUnauthorizedException("W&B refused " + what + " with HTTP " + code
                            + (server == null ? "" : " (" + server + ")") + ": the API key is missing, wrong or has no"
                            + " access; check " + keyHint + " (create a key at your W&B user settings)", code, server);
                }
                if (!WandbRetry.retried(code) || last) {
                    throw new WandbException(what + " failed with HTTP " + code + " at " + url
                            + (server == null ? "" : ": " + server) + " after " + attempt + " attempt(s)"
                            + (WandbRetry.retried(code) ? "; the service may be down or throttling, try again later"
                                    : "; this request will not succeed as sent"),
                            code, server, null);
                }
                failure = "HTTP " + code;
                Duration asked = retryAfter(response);
                if (asked != null) {
                    wait = asked;
                }
            } catch (WandbException e) {
                throw e;
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted() || e instanceof InterruptedIOException && !isTimeout(e)) {
                    throw e;
                }
                if (last) {
                    throw new WandbException(what + " got no answer from " + url + " after " + attempt
                            + " attempt(s): " + e + "; check the network and miner.wandb.base-url", 0, null, e);
                }
                failure = e.getClass().getSimpleName();
            }
            LOG.warn("{} failed ({}); retry {}/{} in {} ms", what, failure, attempt, retry.attempts() - 1,
                    wait.toMillis());
            sleep(wait);
            backoff = retry.next(backoff);
        }
    }

    private boolean isUnderBase(HttpUrl url) {
        String basePath = base.encodedPath().endsWith("/") ? base.encodedPath() : base.encodedPath() + "/";
        return url.scheme().equals(base.scheme()) && url.host().equals(base.host()) && url.port() == base.port()
                && (url.encodedPath() + "/").startsWith(basePath);
    }

    /** A body that is not a JSON object is an error; a connection lost while reading is retried by the caller. */
    private static JsonNode parse(Response response, String what) throws IOException {
        ResponseBody body = response.body();
        JsonNode node;
        try {
            node = JSON.readTree(body.byteStream());
        } catch (JacksonException e) {
            throw new WandbException(what + " answered HTTP " + response.code() + " with a body that is not JSON: "
                    + e.getOriginalMessage(), response.code(), null, e);
        }
        if (node == null || !node.isObject()) {
            throw new WandbException(what + " answered HTTP " + response.code() + " with "
                    + (node == null ? "an empty body" : "a JSON " + node.getNodeType()) + ", expected a JSON object");
        }
        return node;
    }

    /** The first GraphQL error message, or {@code error}, or a short text body. */
    private static String serverMessage(Response response) {
        try {
            String text = response.peekBody(4096).string();
            JsonNode node = JSON.readTree(text);
            if (node != null && node.path("errors").path(0).path("message").isTextual()) {
                return clip(node.path("errors").path(0).path("message").asText());
            }
            if (node != null && node.path("error").isTextual()) {
                return clip(node.path("error").asText());
            }
            return text.isBlank() ? null : clip(text.strip());
        } catch (IOException e) {
            return null;
        }
    }

    private static Duration retryAfter(Response response) {
        String value = response.header("Retry-After");
        if (value == null || !value.strip().matches("\\d{1,6}")) {
            return null;
        }
        Duration d = Duration.ofSeconds(Long.parseLong(value.strip()));
        return d.compareTo(WandbRetry.MAX_RETRY_AFTER) > 0 ? WandbRetry.MAX_RETRY_AFTER : d;
    }

    private static boolean isTimeout(IOException e) {
        return e instanceof java.net.SocketTimeoutException;
    }

    static String clip(String s) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() <= 300 ? one : one.substring(0, 300) + "...";
    }

    private void sleep(Duration d) throws InterruptedIOException {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry a W&B call");
        }
    }
}
