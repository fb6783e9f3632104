package sn37.miner.hub;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Response;

/** How long a throttled answer asks us to wait, read from the IETF-draft headers the Hub sends. */
final class RateLimitWait {
    private static final Pattern RATE_LIMIT =
            Pattern.compile("\"(?<type>\\w+)\"\\s*;\\s*r\\s*=\\s*(?<r>\\d+)\\s*;\\s*t\\s*=\\s*(?<t>\\d+)");
    private static final Pattern SECONDS = Pattern.compile("\\d{1,6}");

    private RateLimitWait() {}

    /**
     * On a 429 with {@code RateLimit: "api";r=0;t=N}, N + 1 seconds (utils/_http.py adds the second against rounding);
     * otherwise a numeric {@code Retry-After}; otherwise nothing, and the caller's backoff applies.
     */
    static Optional<Duration> of(Response response) {
        if (response.code() == 429) {
            Matcher m = rateLimit(response);
            if (m != null && Long.parseLong(m.group("r")) == 0) {
                return Optional.of(Duration.ofSeconds(Long.parseLong(m.group("t")) + 1));
            }
        }
        String retryAfter = response.header("Retry-After");
        if (retryAfter != null && SECONDS.matcher(retryAfter.trim()).matches()) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(retryAfter.trim())));
        }
        return Optional.empty();
    }

    /** A readable form of the limit for error messages, or null when the answer carries none. */
    static String describe(Response response) {
        Matcher m = rateLimit(response);
        if (m == null) {
            return null;
        }
        return m.group("r") + " requests left in the \"" + m.group("type") + "\" bucket, window resets in "
                + m.group("t") + " s";
    }

    private static Matcher rateLimit(Response response) {
        String header = response.header("RateLimit");
        if (header == null) {
            return null;
        }
        Matcher m = RATE_LIMIT.matcher(header);
        return m.find() ? m : null;
    }
}
