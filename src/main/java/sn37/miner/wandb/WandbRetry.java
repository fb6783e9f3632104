package sn37.miner.wandb;

import java.time.Duration;
import java.util.Set;

/**
 * How often one W&B request is tried and how long to wait in between (doubling from {@code baseWait} up to
 * {@code maxWait}; a numeric {@code Retry-After} wins). Which answers are retried follows wandb-core
 * {@code core/internal/clients/retry_policy.go}: every 4xx/5xx except those in {@link #NOT_RETRIED}, and transport
 * errors.
 */
public record WandbRetry(int attempts, Duration baseWait, Duration maxWait) {
    /** finetuning's {@code SampledHistoryScan}: {@code num_retries=3} per history page. */
    public static final WandbRetry PER_PAGE = new WandbRetry(3, Duration.ofSeconds(1), Duration.ofSeconds(8));

    static final Set<Integer> NOT_RETRIED = Set.of(400, 401, 403, 404, 409, 410, 413, 422, 501);
    /** A server asking for more than this is not waited for: the attempt fails instead. */
    static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

    public WandbRetry {
        if (attempts < 1 || baseWait.isNegative() || maxWait.compareTo(baseWait) < 0) {
            throw new IllegalArgumentException("invalid W&B retry " + attempts + "/" + baseWait + "/" + maxWait);
        }
    }

    static boolean retried(int status) {
        return status >= 400 && !NOT_RETRIED.contains(status);
    }

    Duration next(Duration wait) {
        Duration doubled = wait.multipliedBy(2);
        return doubled.compareTo(maxWait) > 0 ? maxWait : doubled;
    }
}
