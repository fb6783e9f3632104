package sn37.miner.hub;

import sn37.miner.util.Sleeper;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends requests with huggingface_hub's retry rules and maps failures to {@link HubException}s. The token only goes
 * to the endpoint's host, on a client that follows no redirects; presigned URLs go through a second client (same
 * connection pool) and never carry it.
 */
final class HubHttp {
    private static final Logger LOG = LoggerFactory.getLogger(HubHttp.class);
    private static final String USER_AGENT = "sn37-miner-hub/0.1 (java)";

    @FunctionalInterface
    interface Reader<T> {
        T read(Response response) throws IOException;
    }

    /** The commit request was sent and its fate is unknown; {@link Commits} adds what was sent. */
    static final class OutcomeUnknown extends IOException {
        final transient HubException.Info info;

        OutcomeUnknown(String message, HubException.Info info, Throwable cause) {
            super(message, cause);
            this.info = info;
        }
    }

    final HubUrls urls;
    final HubErrors errors;
    final RetryPolicy policy;
    private final OkHttpClient hubClient;
    private final OkHttpClient presignedClient;
    private final HubToken token;
    private final Sleeper sleeper;

    HubHttp(OkHttpClient base, HubUrls urls, HubToken token, RetryPolicy policy, Sleeper sleeper) {
        // OkHttp would silently resend a request whose connection dropped, a commit included: retries are ours alone.
        OkHttpClient noSilentRetry = base.newBuilder().retryOnConnectionFailure(false).build();
        this.hubClient = noSilentRetry.newBuilder().followRedirects(false).followSslRedirects(false).build();
        this.presignedClient = noSilentRetry;
        this.urls = urls;
        this.token = token;
        this.errors = new HubErrors(urls, token);
        this.policy = policy;
        this.sleeper = sleeper;
    }

    Request.Builder hubRequest(HttpUrl url) {
        if (!urls.isHub(url)) {
            throw new IllegalArgumentException("refusing to send the Hub token to " + url.host());
        }
        Request.Builder builder = new Request.Builder().url(url).header("User-Agent", USER_AGENT);
        if (token != null) {
            builder.header("Authorization", token.bearer());
        }
        return builder;
    }

    Request.Builder presignedRequest(HttpUrl url) {
        return new Request.Builder().url(url).header("User-Agent", USER_AGENT);
    }

    /**
     * Sends {@code request}, retrying 408/429/5xx answers and network errors, and hands a successful answer to
     * {@code reader}. The commit is the exception: once it may have reached the Hub, a failure becomes
     * {@link OutcomeUnknown} instead of a retry.
     */
    <T> T send(Request request, Op op, Reader<T> reader) throws IOException {
        boolean presigned = op.presigned();
        if (presigned && request.header("Authorization") != null) {
            throw new IllegalStateException("a presigned request must not carry credentials");
        }
        OkHttpClient client = presigned ? presignedClient : hubClient;
        Duration backoff = policy.baseWait();
        for (int attempt = 1; ; attempt++) {
            boolean lastAttempt = attempt > policy.maxRetries();
            Response response;
            try {
                response = client.newCall(request).execute();
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                if (op.commit() && !failedBeforeSending(e)) {
                    throw new OutcomeUnknown("the connection failed after the request was sent ("
                            + errors.scrub(e.toString()) + "), so there is no HTTP status, error code or request id.",
                            HubException.Info.noAnswer(op.repo()), e);
                }
                if (lastAttempt) {
                    throw errors.noAnswer(op, attempt, e);
                }
                LOG.warn("{} got no answer ({}); retry {}/{} in {} ms", op.describe(), e.getClass().getSimpleName(),
                        attempt, policy.maxRetries(), backoff.toMillis());
                sleep(backoff);
                backoff = policy.next(backoff);
                continue;
            }
            try (response) {
                int code = response.code();
                if (isRetried(response)) {
                    if (op.commit() && code != 429) {
                        // A gateway error or 500 may come after the Hub applied the commit; only 429 is surely a refusal.
                        HubException e = errors.raiseForStatus(response, op, attempt);
                        throw new OutcomeUnknown(HubErrors.facts(op, attempt, e.info()), e.info(), e);
                    }
                    if (!lastAttempt) {
                        Duration wait = RateLimitWait.of(response).orElse(backoff);
                        LOG.warn("{} answered HTTP {} (request id {}); retry {}/{} in {} ms", op.describe(), code,
                                HubErrors.requestId(response), attempt, policy.maxRetries(), wait.toMillis());
                        response.close();
                        sleep(wait);
                        backoff = policy.next(backoff);
                        continue;
                    }
                    throw errors.raiseForStatus(response, op, attempt);
                }
                if (!op.accepts(code)) {
                    throw errors.raiseForStatus(response, op, attempt);
                }
                return reader.read(response);
            }
        }
    }

    private boolean isRetried(Response response) throws IOException {
        if (RetryPolicy.RETRIED_STATUSES.contains(response.code())) {
            return true;
        }
        // create_repo answers 409 while another operation on the repo runs; huggingface_hub waits and retries.
        return response.code() == 409
                && response.peekBody(4096).string().contains("another conflicting operation is in progress");
    }

    private static boolean failedBeforeSending(IOException e) {
        return e instanceof ConnectException || e instanceof UnknownHostException
                || e instanceof NoRouteToHostException;
    }

    void sleep(Duration duration) throws InterruptedIOException {
        try {
            sleeper.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry a Hub call");
        }
    }
}
