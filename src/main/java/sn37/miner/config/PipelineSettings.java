package sn37.miner.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The {@code pipeline.*} and server keys, typed and checked once at start-up. */
public record PipelineSettings(
        Path home,
        Path dbPath,
        Path workDir,
        int runConsumers,
        Duration heartbeat,
        String serverHost,
        Optional<Secret> apiToken,
        boolean scheduleEnabled,
        String scheduleCron,
        String scheduleParamsJson,
        String sweeperCron,
        int sweeperMaxRetries,
        Duration backoffBase,
        Duration backoffMax) {

    public PipelineSettings {
        if (apiToken.isEmpty() && !isLoopback(serverHost)) {
            throw new ConfigException("camel.server.host is " + serverHost + ", which is not a loopback address:"
                    + " set pipeline.api.token (or PIPELINE_API_TOKEN) so that mutating API calls need a bearer token");
        }
        if (backoffMax.compareTo(backoffBase) < 0) {
            throw new ConfigException("pipeline.sweeper.backoff-max-seconds must be >= pipeline.sweeper.backoff-base-seconds");
        }
    }

    public static PipelineSettings from(Settings s) {
        String token = s.get("pipeline.api.token");
        return new PipelineSettings(
                s.home(),
                s.path("pipeline.db.path"),
                s.path("pipeline.work-dir"),
                s.getInt("pipeline.run-consumers", 1, 64),
                Duration.ofSeconds(s.getInt("pipeline.heartbeat-seconds", 1, 3600)),
                s.get("camel.server.host"),
                token.isEmpty() ? Optional.empty() : Optional.of(Secret.of(token)),
                s.getBoolean("pipeline.schedule.enabled"),
                s.get("pipeline.schedule.cron"),
                s.get("pipeline.schedule.params"),
                s.get("pipeline.sweeper.cron"),
                s.getInt("pipeline.sweeper.max-retries", 0, 1000),
                Duration.ofSeconds(s.getInt("pipeline.sweeper.backoff-base-seconds", 1, 86_400)),
                Duration.ofSeconds(s.getInt("pipeline.sweeper.backoff-max-seconds", 1, 7 * 86_400)));
    }

    /** Mutating API calls need the bearer token unless the server listens on loopback only. */
    public boolean apiNeedsToken() {
        return !isLoopback(serverHost) || apiToken.isPresent();
    }

    static boolean isLoopback(String host) {
        if (host.equals("localhost")) return true;
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Delay before the sweeper's next resume: base · 2^retries, capped. */
    public Duration retryDelay(int retriesSoFar) {
        long factor = 1L << Math.min(retriesSoFar, 30);
        Duration d = backoffBase.multipliedBy(factor);
        return d.compareTo(backoffMax) > 0 ? backoffMax : d;
    }
}
