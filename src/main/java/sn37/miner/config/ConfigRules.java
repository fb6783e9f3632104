package sn37.miner.config;

import sn37.miner.util.Json;

import static java.util.Map.entry;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.quartz.CronExpression;

/**
 * What each key of {@code config/application.properties} must hold. Every key is checked when the settings are
 * loaded, before anything starts, so that a bad value is one line naming where it came from rather than a
 * library's stack trace later. A key added to the file needs its rule here.
 */
final class ConfigRules {
    /** Null when the value is acceptable; otherwise what is expected, e.g. "an integer in [1, 65535]". */
    @FunctionalInterface
    interface Rule {
        String check(String value);
    }

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|[0-9A-Fa-f.]*(:[0-9A-Fa-f.]*){2,}");
    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,15}(\\.[0-9]{1,15})?");
    /** A Unix user or Slurm partition name. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");
    /** The binders camel-micrometer-prometheus loads by name (MicrometerPrometheus#setBinders). */
    private static final Pattern BINDER = Pattern.compile("class-loader|file-descriptor|jvm-compilation|jvm-gc"
            + "|jvm-heap-pressure|jvm-info|jvm-memory|jvm-thread|processor|uptime");
    private static final Pattern SS58 = Pattern.compile("[1-9A-HJ-NP-Za-km-z]{46,48}");

    static final Map<String, Rule> RULES = Map.ofEntries(
            entry("camel.main.name", text()),
            entry("camel.main.routes-include-pattern", text()),
            entry("camel.main.jmx-enabled", bool()),
            entry("camel.main.shutdown-timeout", integer(1, 86_400)),
            entry("camel.server.enabled", bool()),
            entry("camel.server.host", host()),
            entry("camel.server.port", port()),
            entry("camel.rest.component", oneOf("platform-http")),
            entry("camel.rest.binding-mode", oneOf("off", "auto", "json", "xml", "json_xml")),
            entry("camel.rest.api-context-path", urlPath()),
            entry("camel.management.enabled", bool()),
            entry("camel.management.host", host()),
            entry("camel.management.port", port()),
            entry("camel.management.health-check-enabled", bool()),
            entry("camel.management.metrics-enabled", bool()),
            entry("camel.metrics.enabled", bool()),
            entry("camel.metrics.binders", listOf(BINDER, "Micrometer binder names (jvm-memory, jvm-gc, processor, ...)")),
            entry("pipeline.db.path", path()),
            entry("pipeline.work-dir", path()),
            entry("pipeline.run-consumers", integer(1, 64)),
            entry("pipeline.heartbeat-seconds", integer(1, 3600)),
            entry("pipeline.api.token", anything()),
            entry("pipeline.api.allowed-hosts", listOf(HOST, "host names")),
            entry("pipeline.api.data-root", path()),
            entry("pipeline.api.models-root", path()),
            entry("pipeline.api.max-data-bytes", wholeBytes()),
            entry("pipeline.schedule.enabled", bool()),
            entry("pipeline.schedule.cron", cron()),
            entry("pipeline.schedule.params", jsonObject()),
            entry("pipeline.sweeper.enabled", bool()),
            entry("pipeline.sweeper.cron", cron()),
            entry("pipeline.sweeper.max-retries", integer(0, 1000)),
            entry("pipeline.sweeper.backoff-base-seconds", integer(1, 86_400)),
            entry("pipeline.sweeper.backoff-max-seconds", integer(1, 7 * 86_400)),
            entry("miner.hub.endpoint", url("http", "https")),
            entry("miner.wandb.base-url", url("http", "https")),
            entry("miner.subtensor.finney", url("ws", "wss")),
            entry("miner.subtensor.test", url("ws", "wss")),
            entry("miner.subtensor.local", url("ws", "wss")),
            entry("miner.competition.default", chainOr(integer(0, 255))),
            entry("miner.data.sn1-validators", listOf(SS58, "SS58 addresses")),
            entry("miner.data.sn1-min-stake", nonNegativeNumber()),
            entry("miner.data.wandb.mode", oneOf("historic", "latest")),
            entry("miner.data.wandb.project", matching(REPO, "an entity/project name")),
            entry("miner.data.wandb.steps", integer(1, 1_000_000)),
            entry("miner.data.wandb.page-size", integer(1, 100_000)),
            entry("miner.data.wandb.max-age-hours", emptyOr(integer(1, 100_000))),
            entry("miner.data.wandb.target", integer(1, 1_000_000)),
            entry("miner.data.hf.viewer-url", url("http", "https")),
            entry("miner.data.hf.dataset", matching(REPO, "a dataset id owner/name")),
            entry("miner.data.hf.configs", integer(1, 10_000)),
            entry("miner.data.hf.min-rows", integer(1, 1_000_000)),
            entry("miner.data.hf.target", integer(1, 1_000_000)),
            entry("miner.data.reasoning.train-rows", integer(1, 1_000_000)),
            entry("train.torch.python", path()),
            entry("train.torch.trainer-dir", path()),
            entry("train.job-root", emptyOr(path())),
            entry("train.slurm.url", emptyOr(url("http", "https"))),
            entry("train.slurm.user", emptyOr(matching(NAME, "a user name"))),
            entry("train.slurm.partition", emptyOr(matching(NAME, "a partition name"))),
            entry("train.slurm.tasks-per-node", integer(1, 1024)),
            entry("train.slurm.time-limit-minutes", emptyOr(integer(1, 525_600))),
            entry("train.slurm.rendezvous-port", port()),
            entry("train.slurm.gpus-per-node", integer(0, 1024)),
            entry("train.slurm.cpus-per-task", integer(1, 4096)),
            entry("train.device-memory-gib", emptyOr(integer(1, 100_000))));

    private ConfigRules() {}

    static Rule anything() {
        return v -> null;
    }

    /** "chain", or what {@code other} accepts. */
    static Rule chainOr(Rule other) {
        return v -> v.equals("chain") || other.check(v) == null ? null : "chain or " + other.check(v);
    }

    static Rule text() {
        return v -> v.isBlank() ? "a non-empty value" : null;
    }

    static Rule bool() {
        return v -> v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false") ? null : "true or false";
    }

    static Rule integer(int min, int max) {
        String expected = "an integer in [" + min + ", " + max + "]";
        return v -> {
            try {
                int i = Integer.parseInt(v);
                return i < min || i > max ? expected : null;
            } catch (NumberFormatException e) {
                return expected;
            }
        };
    }

    static Rule wholeBytes() {
        String expected = "a whole number of bytes >= 1";
        return v -> {
            try {
                return Long.parseLong(v) < 1 ? expected : null;
            } catch (NumberFormatException e) {
                return expected;
            }
        };
    }

    static Rule port() {
        return integer(1, 65_535);
    }

    static Rule nonNegativeNumber() {
        return v -> DECIMAL.matcher(v).matches() ? null : "a decimal number >= 0";
    }

    static Rule oneOf(String... values) {
        List<String> allowed = List.of(values);
        return v -> allowed.stream().anyMatch(a -> a.equalsIgnoreCase(v)) ? null : "one of " + String.join(", ", allowed);
    }

    static Rule host() {
        return v -> HOST.matcher(v).matches() ? null : "a host name or IP address";
    }

    static Rule path() {
        return v -> {
            if (v.isBlank() || v.indexOf('\0') >= 0) return "a file path";
            try {
                Path.of(v);
                return null;
            } catch (InvalidPathException e) {
                return "a file path";
            }
        };
    }

    static Rule urlPath() {
        return v -> v.startsWith("/") && !v.contains(" ") && !v.contains("..") ? null : "a URL path starting with /";
    }

    static Rule url(String... schemes) {
        List<String> allowed = List.of(schemes);
        String expected = "an absolute " + String.join(" or ", allowed) + " URL";
        return v -> {
            try {
                URI u = new URI(v);
                return u.getScheme() != null && allowed.contains(u.getScheme()) && u.getHost() != null ? null : expected;
            } catch (java.net.URISyntaxException e) {
                return expected;
            }
        };
    }

    static Rule cron() {
        return v -> CronExpression.isValidExpression(v) ? null
                : "a Quartz cron expression (seconds minutes hours day-of-month month day-of-week [year])";
    }

    static Rule jsonObject() {
        return v -> {
            try {
                JsonNode n = Json.mapper().readTree(v);
                return n != null && n.isObject() ? null : "a JSON object";
            } catch (Exception e) {
                return "a JSON object";
            }
        };
    }

    static Rule matching(Pattern p, String what) {
        return v -> p.matcher(v).matches() ? null : what;
    }

    static Rule emptyOr(Rule rule) {
        return v -> v.isEmpty() ? null : rule.check(v) == null ? null : "empty or " + rule.check(v);
    }

    static Rule listOf(Pattern item, String what) {
        return v -> {
            if (v.isBlank()) return null;
            for (String part : v.split(",")) {
                if (!part.isBlank() && !item.matcher(part.strip()).matches()) return "empty or a comma-separated list of " + what;
            }
            return null;
        };
    }
}
