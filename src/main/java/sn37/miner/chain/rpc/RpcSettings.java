package sn37.miner.chain.rpc;

import java.time.Duration;

/**
 * Timeouts and reconnection of the node connection. {@code reconnectAttempts} connection attempts are made
 * with exponential backoff from {@code backoffInitial} up to {@code backoffMax} before a call fails.
 */
public record RpcSettings(Duration requestTimeout, Duration connectTimeout, int reconnectAttempts,
        Duration backoffInitial, Duration backoffMax, Duration pingInterval) {

    public RpcSettings {
        if (requestTimeout.isNegative() || requestTimeout.isZero() || connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("request and connect timeouts must be > 0");
        }
        if (reconnectAttempts < 1) {
            throw new IllegalArgumentException("reconnectAttempts must be >= 1, got " + reconnectAttempts);
        }
    }

    /** 30 s per request (a 500 KB metadata blob included), 5 connection attempts backing off 1 to 8 s. */
    public static RpcSettings defaults() {
        return new RpcSettings(Duration.ofSeconds(30), Duration.ofSeconds(15), 5, Duration.ofSeconds(1),
                Duration.ofSeconds(8), Duration.ofSeconds(20));
    }

    Duration backoff(int failedAttempts) {
        long millis = backoffInitial.toMillis() << Math.min(failedAttempts, 20);
        return Duration.ofMillis(Math.min(millis, backoffMax.toMillis()));
    }
}
