package sn37.miner.config;

import sn37.miner.util.Secret;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
        Duration backoffMax,
        List<String> allowedHosts,
        String managementHost) {
    private static final List<String> LOOPBACK_NAMES = List.of("127.0.0.1", "localhost", "[::1]");
    private static final String WILDCARD_IPV4 = "0.0.0.0";

    public PipelineSettings {
        if (apiToken.isEmpty() && !isLoopback(serverHost)) {
            throw new ConfigException("camel.server.host is " + serverHost + ", which is not a loopback address:"
                    + " set pipeline.api.token (or PIPELINE_API_TOKEN) so that API calls need a bearer token");
        }
        if (backoffMax.compareTo(backoffBase) < 0) {
            throw new ConfigException("pipeline.sweeper.backoff-max-seconds must be >= pipeline.sweeper.backoff-base-seconds");
        }
    }

    public static PipelineSettings from(Settings s) {
        // a token of spaces would be a token anyone can guess: it counts as unset
        String token = s.get("pipeline.api.token").strip();
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
                Duration.ofSeconds(s.getInt("pipeline.sweeper.backoff-max-seconds", 1, 7 * 86_400)),
                Arrays.stream(s.get("pipeline.api.allowed-hosts").split(",")).map(PipelineSettings::hostName)
                        .filter(h -> !h.isEmpty()).toList(),
                s.getBoolean("camel.management.enabled") ? s.get("camel.management.host") : "");
    }

    /** API calls need the bearer token unless the server listens on loopback only and none is set. */
    public boolean apiNeedsToken() {
        return !isLoopback(serverHost) || apiToken.isPresent();
    }

    /**
     * The names a request's {@code Host} header may give (see {@link #hostName}), so that a page whose DNS name was
     * rebound to this address cannot use the API: loopback names when bound to loopback or to every interface, the
     * bound host, and {@code pipeline.api.allowed-hosts}. Bound to every interface, any IP address is accepted too
     * ({@link #bindsEveryInterface}): an address is its own origin and cannot be rebound.
     */
    public List<String> hostNames() {
        List<String> out = new ArrayList<>();
        if (isLoopback(serverHost) || bindsEveryInterface()) out.addAll(LOOPBACK_NAMES);
        if (!bindsEveryInterface() && !out.contains(hostName(serverHost))) out.add(hostName(serverHost));
        for (String h : allowedHosts) if (!out.contains(h)) out.add(h);
        return out;
    }

    public boolean bindsEveryInterface() {
        String h = hostName(serverHost);
        return h.equals(WILDCARD_IPV4) || h.equals("[::]") || h.equals("[0:0:0:0:0:0:0:0]");
    }

    /** Start-up warnings about the bind addresses: the management port's health and metrics need no token. */
    public List<String> bindWarnings() {
        if (managementHost.isEmpty() || isLoopback(managementHost)) return List.of();
        return List.of("camel.management.host is " + managementHost + ", which is not a loopback address: health and"
                + " metrics on the management port answer anyone who can reach it, without a token");
    }

    /** The host name of a Host header or a bind address: lower case, without port or trailing dot; IPv6 in brackets. */
    public static String hostName(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? "" : h.substring(0, end + 1);
        }
        if (h.indexOf(':') != h.lastIndexOf(':')) return "[" + h + "]"; // a bare IPv6 bind address
        int colon = h.indexOf(':');
        if (colon >= 0) h = h.substring(0, colon);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /** An IPv4 address, or an IPv6 one in brackets, as {@link #hostName} gives them. */
    public static boolean isIpLiteral(String name) {
        return name.matches("(\\d{1,3}\\.){3}\\d{1,3}") || name.matches("\\[[0-9a-f:.]+\\]");
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
