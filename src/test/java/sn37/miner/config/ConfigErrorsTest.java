package sn37.miner.config;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up errors of the configuration: each bad value of each key, given in the file, as an environment variable
 * or as --key=value, is one line naming that source (file and line), the key and what is expected, and never
 * the value.
 */
class ConfigErrorsTest {
    private static final Path HOME = Path.of("").toAbsolutePath();

    /** Bad values per key; a key missing here is one whose every value is acceptable (the API token). */
    private static final Map<String, List<String>> BAD = new LinkedHashMap<>();

    static {
        List<String> bool = List.of("yes", "1", "", "tru");
        List<String> port = List.of("99999", "0", "-1", "80a", "", "65536");
        List<String> cron = List.of("every minute", "0 * * * *", "61 * * * * ?", "");
        BAD.put("camel.main.name", List.of("", " "));
        BAD.put("camel.main.routes-include-pattern", List.of(""));
        BAD.put("camel.main.jmx-enabled", bool);
        BAD.put("camel.main.shutdown-timeout", List.of("0", "-5", "ten", "1.5"));
        BAD.put("camel.server.enabled", bool);
        BAD.put("camel.server.host", List.of("", "local host", "http://127.0.0.1", "127.0.0.1:80"));
        BAD.put("camel.server.port", port);
        BAD.put("camel.rest.component", List.of("jetty", ""));
        BAD.put("camel.rest.binding-mode", List.of("yaml", ""));
        BAD.put("camel.rest.api-context-path", List.of("api/openapi.json", "", "/a b"));
        BAD.put("camel.management.enabled", bool);
        BAD.put("camel.management.host", List.of("", "a b"));
        BAD.put("camel.management.port", port);
        BAD.put("camel.management.health-check-enabled", bool);
        BAD.put("camel.management.metrics-enabled", bool);
        BAD.put("camel.metrics.enabled", bool);
        BAD.put("camel.metrics.binders", List.of("jvm-memroy", "jvm-memory,gpu", "jvm memory"));
        BAD.put("pipeline.db.path", List.of("", "a\0b"));
        BAD.put("pipeline.work-dir", List.of(""));
        BAD.put("pipeline.run-consumers", List.of("0", "65", "two", ""));
        BAD.put("pipeline.heartbeat-seconds", List.of("0", "3601", "1s"));
        BAD.put("pipeline.schedule.enabled", bool);
        BAD.put("pipeline.schedule.cron", cron);
        BAD.put("pipeline.schedule.params", List.of("{", "[]", "offline", ""));
        BAD.put("pipeline.sweeper.enabled", bool);
        BAD.put("pipeline.sweeper.cron", cron);
        BAD.put("pipeline.sweeper.max-retries", List.of("-1", "1001", "many"));
        BAD.put("pipeline.sweeper.backoff-base-seconds", List.of("0", "86401", "1m"));
        BAD.put("pipeline.sweeper.backoff-max-seconds", List.of("0", "604801"));
        BAD.put("miner.hub.endpoint", List.of("huggingface.co", "ftp://huggingface.co", ""));
        BAD.put("miner.wandb.base-url", List.of("api.wandb.ai", "ws://api.wandb.ai"));
        BAD.put("miner.subtensor.finney", List.of("https://127.0.0.1:9944", "finney"));
        BAD.put("miner.subtensor.test", List.of("test.finney.opentensor.ai:443"));
        BAD.put("miner.subtensor.local", List.of("127.0.0.1:9944", ""));
        BAD.put("miner.competition.default", List.of("", "Chain", "live", "-1", "256", "4.0"));
        BAD.put("miner.data.sn1-validators", List.of("not-an-address", "5F,5G"));
        BAD.put("miner.data.sn1-min-stake", List.of("-1", "lots", "NaN", "Infinity", ""));
        BAD.put("miner.data.wandb.mode", List.of("newest", ""));
        BAD.put("miner.data.wandb.project", List.of("prompting-validators", "", "a/b/c"));
        BAD.put("miner.data.wandb.steps", List.of("0", "1000001"));
        BAD.put("miner.data.wandb.page-size", List.of("0", "x"));
        BAD.put("miner.data.wandb.max-age-hours", List.of("0", "4h"));
        BAD.put("miner.data.wandb.target", List.of("0", "-3"));
        BAD.put("miner.data.hf.viewer-url", List.of("datasets-server", ""));
        BAD.put("miner.data.reasoning.train-rows", List.of("0", "x", "1000001"));
        BAD.put("miner.data.hf.dataset", List.of("macrobench", ""));
        BAD.put("miner.data.hf.configs", List.of("0", "10001"));
        BAD.put("miner.data.hf.min-rows", List.of("0"));
        BAD.put("miner.data.hf.target", List.of("0", "many"));
        BAD.put("pipeline.api.allowed-hosts", List.of("miner host", "http://miner.example"));
        BAD.put("pipeline.api.data-root", List.of(""));
        BAD.put("pipeline.api.models-root", List.of(""));
        BAD.put("pipeline.api.max-data-bytes", List.of("0", "-1", "1GB"));
        BAD.put("train.torch.python", List.of("", "a\0b"));
        BAD.put("train.torch.trainer-dir", List.of("", " "));
        BAD.put("train.job-root", List.of("a\0b"));
        BAD.put("train.slurm.url", List.of("slurm-head:6820", "ftp://127.0.0.1/", "http://"));
        BAD.put("train.slurm.user", List.of("a b", "me/you", "-x"));
        BAD.put("train.slurm.partition", List.of("gpu partition", "gpu;rm", "x".repeat(65)));
        BAD.put("train.slurm.tasks-per-node", List.of("0", "1025", "one", ""));
        BAD.put("train.slurm.time-limit-minutes", List.of("0", "-1", "1h", "525601"));
        BAD.put("train.slurm.rendezvous-port", port);
        BAD.put("train.slurm.gpus-per-node", List.of("-1", "1025", "two", "", "1.5"));
        BAD.put("train.slurm.cpus-per-task", List.of("0", "4097", "two", ""));
        BAD.put("train.device-memory-gib", List.of("0", "80GB", "-1", "100001"));
    }

    @TempDir Path home;

    @Test
    void everyKeyOfTheFileHasARuleAndABadValueCaseUnlessEveryValueIsValid() throws Exception {
        List<String> keys = fileKeys(Files.readAllLines(HOME.resolve(Settings.FILE)));
        assertEquals(List.copyOf(ConfigRules.RULES.keySet()).stream().sorted().toList(), keys.stream().sorted().toList());
        List<String> untested = keys.stream().filter(k -> !BAD.containsKey(k)).toList();
        assertEquals(List.of("pipeline.api.token"), untested);
    }

    @TestFactory
    Stream<DynamicTest> everyBadValueIsOneLineNamingItsSourceAndTheKeyButNotTheValue() throws Exception {
        copyHome();
        List<String> lines = Files.readAllLines(home.resolve(Settings.FILE));
        List<DynamicTest> tests = new ArrayList<>();
        BAD.forEach((key, values) -> {
            int line = lineOf(lines, key);
            for (String v : values) {
                tests.add(dynamicTest(key + " from --" + key + "=" + v, () -> refused(
                        () -> Settings.load(HOME, Env.of(Map.of()), List.of("--" + key + "=" + v)),
                        "--" + key + ": " + key + " must be ", v)));
                if (!v.isBlank()) {
                    String env = Settings.envName(key);
                    tests.add(dynamicTest(key + " from " + env, () -> refused(
                            () -> Settings.load(HOME, Env.of(Map.of(env, v)), List.of()),
                            "environment variable " + env + ": " + key + " must be ", v)));
                }
                if (v.indexOf('\0') < 0) {
                    tests.add(dynamicTest(key + " from the file", () -> {
                        List<String> edited = new ArrayList<>(lines);
                        edited.set(line - 1, key + "=" + v);
                        Files.write(home.resolve(Settings.FILE), edited, StandardCharsets.UTF_8);
                        refused(() -> Settings.load(home, Env.of(Map.of()), List.of()),
                                home.resolve(Settings.FILE) + ":" + line + ": " + key + " must be ", v);
                    }));
                }
            }
        });
        return tests.stream();
    }

    @Test
    void garbageLineIsRefusedNamingFileAndLineNotTakenAsAKey() throws Exception {
        copyHome();
        Path file = home.resolve(Settings.FILE);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.add(10, "this line is not a setting");
        Files.write(file, lines);
        ConfigException e = assertThrows(ConfigException.class, () -> Settings.load(home, Env.of(Map.of()), List.of()));
        assertEquals(file + ":11: expected key=value (a key of letters, digits, '.', '-' and '_', then '='), or a"
                + " comment starting with #", e.getMessage());
    }

    @Test
    void unknownKeyInTheFileIsRefusedNamingFileAndLine() throws Exception {
        copyHome();
        Path file = home.resolve(Settings.FILE);
        Files.writeString(file, Files.readString(file) + "pipeline.db.pth=x\n");
        int line = Files.readAllLines(file).size();
        ConfigException e = assertThrows(ConfigException.class, () -> Settings.load(home, Env.of(Map.of()), List.of()));
        assertTrue(e.getMessage().startsWith(file + ":" + line + ": unknown configuration key"), e.getMessage());
    }

    @Test
    void malformedUnicodeEscapeNamesFileLineAndColumn() throws Exception {
        copyHome();
        Path file = home.resolve(Settings.FILE);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        int line = lineOf(lines, "camel.main.name");
        lines.set(line - 1, "camel.main.name=sn37-\\uZZ12-miner");
        Files.write(file, lines);
        ConfigException e = assertThrows(ConfigException.class, () -> Settings.load(home, Env.of(Map.of()), List.of()));
        assertTrue(e.getMessage().startsWith(file + ":" + line + ":22: malformed \\uXXXX escape"), e.getMessage());
    }

    @Test
    void keySetTwiceIsRefusedNamingBothLines() throws Exception {
        copyHome();
        Path file = home.resolve(Settings.FILE);
        Files.writeString(file, Files.readString(file) + "pipeline.run-consumers=2\n");
        int line = Files.readAllLines(file).size();
        ConfigException e = assertThrows(ConfigException.class, () -> Settings.load(home, Env.of(Map.of()), List.of()));
        assertEquals(file + ":" + line + ": the key on this line is already set on line "
                + lineOf(Files.readAllLines(file), "pipeline.run-consumers"), e.getMessage());
    }

    @Test
    void escapesAndContinuationLinesStillRead() throws Exception {
        copyHome();
        Path file = home.resolve(Settings.FILE);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        int line = lineOf(lines, "camel.main.name");
        lines.set(line - 1, "camel.main.name = sn37-\\u00e9\\");
        lines.add(line, "    miner");
        Files.write(file, lines);
        assertEquals("sn37-\u00e9miner", Settings.load(home, Env.of(Map.of()), List.of()).get("camel.main.name"));
    }

    @Test
    void valueSetInCodeIsCheckedToo() {
        Settings s = Settings.load(HOME, Env.of(Map.of()), List.of());
        ConfigException e = assertThrows(ConfigException.class, () -> s.with(Map.of("camel.server.port", "99999")));
        assertEquals("camel.server.port must be an integer in [1, 65535]", e.getMessage());
    }

    private static void refused(org.junit.jupiter.api.function.Executable load, String prefix, String value) {
        ConfigException e = assertThrows(ConfigException.class, load);
        String m = e.getMessage();
        assertTrue(m.startsWith(prefix), "should start with '" + prefix + "': " + m);
        assertEquals(1, m.lines().count(), m);
        if (value.strip().length() > 3) {
            assertFalse(m.substring(prefix.length()).contains(value), "echoes the value: " + m);
        }
    }

    private void copyHome() throws Exception {
        Files.createDirectories(home.resolve("config"));
        Files.copy(HOME.resolve(Settings.FILE), home.resolve(Settings.FILE));
    }

    private static List<String> fileKeys(List<String> lines) {
        return lines.stream().filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> l.substring(0, l.indexOf('=')))
                .toList();
    }

    private static int lineOf(List<String> lines, String key) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(key + "=")) return i + 1;
        }
        throw new AssertionError(key + " not in the file");
    }
}
