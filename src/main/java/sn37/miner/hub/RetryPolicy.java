package sn37.miner.hub;

import java.time.Duration;
import java.util.Set;

/**
 * When and how long to retry: huggingface_hub's {@code utils/_http.py http_backoff} retries 408, 429, 500, 502, 503,
 * 504 and network errors up to 5 times, waiting 1 s and doubling up to 8 s.
 */
public record RetryPolicy(int maxRetries, Duration baseWait, Duration maxWait) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(8));

    static final Set<Integer> RETRIED_STATUSES = Set.of(408, 429, 500, 502, 503, 504);

    public RetryPolicy {
        if (maxRetries < 0 || baseWait.isNegative() || maxWait.compareTo(baseWait) < 0) {
            throw new IllegalArgumentException("invalid retry policy " + maxRetries + "/" + baseWait + "/" + maxWait);
        }
    }

    Duration next(Duration wait) {
        Duration doubled = wait.multipliedBy(2);
        return doubled.compareTo(maxWait) > 0 ? maxWait : doubled;
    }
}
