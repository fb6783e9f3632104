package sn37.miner.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import sn37.miner.MinerApp;
import sn37.miner.testing.Sweep;

/**
 * Generated bad flag values and unknown flags for {@code mine}, {@code upload} and {@code runs}: each exits 2 with
 * one line {@code error: ...} naming the flag, and no stack trace. The flags are read from the picocli model, so a
 * new numeric flag gets its cases too.
 */
@Sweep
class CliBadInputSweepTest {
    @TempDir static Path dir;
    static final Map<String, int[]> TALLY = new LinkedHashMap<>();

    record Case(String category, List<String> args, String expected) {}

    @AfterAll
    static void summary() {
        TALLY.forEach((category, n) -> System.out.printf("CLI bad-input sweep: %-16s -> %4d cases, %s%n", category,
                n[0], n[1] == 0 ? "all clear" : n[1] + " FAILED"));
    }

    @TestFactory
    Stream<DynamicTest> everyBadFlagIsOneLineNamingIt() throws Exception {
        Path model = Files.createDirectories(dir.resolve("model"));
        List<Case> cases = new ArrayList<>();
        cases.addAll(numericValues("mine", List.of("--offline")));
        cases.addAll(numericValues("upload", List.of("--hf_repo_id", "me/model", "--load_model_dir", model.toString())));
        cases.addAll(numericValues("runs list", List.of()));
        cases.addAll(emptyStrings("mine", List.of("--offline")));
        cases.addAll(unknownFlags("mine", List.of("--offline")));
        cases.addAll(unknownFlags("upload", List.of("--hf_repo_id", "me/model", "--load_model_dir", model.toString())));
        cases.addAll(unknownFlags("runs list", List.of()));
        cases.addAll(others(model));
        return cases.stream().map(c -> dynamicTest(c.category() + ": " + String.join(" ", c.args()), () -> tally(c)));
    }

    /** Each numeric flag: not a number, NaN, infinite, past its type, negative (where negatives mean nothing). */
    private static List<Case> numericValues(String command, List<String> valid) {
        List<Case> out = new ArrayList<>();
        for (OptionSpec o : options(command)) {
            Class<?> type = o.type();
            String flag = o.longestName();
            List<String> values = new ArrayList<>(List.of("abc", "", "1x", "0x10", "--", "1,5"));
            if (type == Double.class || type == double.class) {
                values.addAll(List.of("NaN", "Infinity", "-Infinity", "1e400", "-1e400", "-0.5"));
            } else if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
                values.addAll(List.of("NaN", "1.5", "1e3", "99999999999999999999"));
                if (!flag.equals("--seed")) values.add("-7");
            } else {
                continue;
            }
            for (String v : values) {
                List<String> args = new ArrayList<>(valid);
                args.addAll(List.of(flag, v));
                out.add(new Case(command + " numbers", prefixed(command, args), flag));
            }
        }
        return out;
    }

    /** Each text flag of mine given an empty value. */
    private static List<Case> emptyStrings(String command, List<String> valid) {
        List<Case> out = new ArrayList<>();
        for (OptionSpec o : options(command)) {
            if (o.type() != String.class) continue;
            List<String> args = new ArrayList<>(valid);
            args.addAll(List.of(o.longestName(), ""));
            out.add(new Case(command + " empty", prefixed(command, args), o.longestName()));
        }
        return out;
    }

    /** Misspellings of every flag, with a value after them. */
    private static List<Case> unknownFlags(String command, List<String> valid) {
        List<Case> out = new ArrayList<>();
        List<OptionSpec> all = options(command);
        Set<String> known = new java.util.HashSet<>();
        all.forEach(o -> known.addAll(List.of(o.names())));
        for (OptionSpec o : all) {
            String f = o.longestName();
            for (String v : new java.util.LinkedHashSet<>(List.of(f + "s", f.substring(0, f.length() - 1),
                    f.replace('_', '-'), f.toUpperCase(), "-" + f, f.replaceFirst("--", "---")))) {
                if (known.contains(v)) continue;
                List<String> args = new ArrayList<>(valid);
                args.addAll(List.of(v, "1"));
                out.add(new Case(command + " unknown", prefixed(command, args), "unknown flag '" + v + "'"));
            }
        }
        return out;
    }

    private static List<Case> others(Path model) {
        List<Case> out = new ArrayList<>();
        String dirFlag = model.toString();
        for (String id : List.of("", "noslash", "a/b/c", "me/mo del", "-me/model", "me/-model", "me/..", "me--x/model",
                "me/" + "m".repeat(40), "me/model.git")) {
            out.add(new Case("repo ids", List.of("upload", "--hf_repo_id", id, "--load_model_dir", dirFlag),
                    "--hf_repo_id"));
            out.add(new Case("repo ids", List.of("mine", "--offline", "--hf_repo_id", id), "--hf_repo_id"));
        }
        out.add(new Case("upload", List.of("upload", "--hf_repo_id", "me/model", "--load_model_dir", ""),
                "--load_model_dir must not be blank"));
        out.add(new Case("upload", List.of("upload", "--hf_repo_id", "me/model"), "--load_model_dir"));
        for (String[] a : new String[][] {{"--wallet.name", "../x"}, {"--wallet.hotkey", "a/b"},
                {"--subtensor.network", "nope"}, {"--subtensor.chain_endpoint", "http://x"}}) {
            out.add(new Case("upload", List.of("upload", "--hf_repo_id", "me/model", "--load_model_dir", dirFlag,
                    a[0], a[1]), a[0]));
        }
        for (String s : List.of("NOPE", "", "done", "x".repeat(1000), "RUNNING,FAILED")) {
            out.add(new Case("runs", List.of("runs", "list", "--status", s), "--status must be one of"));
        }
        for (String l : List.of("0", "501", "-1")) {
            out.add(new Case("runs", List.of("runs", "list", "--limit", l), "--limit must be in [1, 500]"));
        }
        out.add(new Case("runs", List.of("runs", "show"), "RUN_ID"));
        out.add(new Case("runs", List.of("runs", "show", "no-such-run"), "no run with id 'no-such-run'"));
        out.add(new Case("runs", List.of("runs", "bogus"), "'bogus'"));
        out.add(new Case("flags", List.of("mine", "--offline=maybe"), "--offline"));
        out.add(new Case("flags", List.of("mine", "--lr"), "--lr"));
        out.add(new Case("flags", List.of("mine", "--lr", "--offline"), "--lr"));
        out.add(new Case("flags", List.of("mine", "--offline", "--load_uid", "3", "--load_best"),
                "choose one starting model"));
        out.add(new Case("flags", List.of("mine", "--offline", "stray"), "'stray'"));
        out.add(new Case("flags", List.of("mine", "--offline", "--pipeline.nope=1"), "'pipeline.nope'"));
        return out;
    }

    private static List<OptionSpec> options(String command) {
        CommandLine cl = MinerApp.commandLine();
        for (String part : command.split(" ")) cl = cl.getSubcommands().get(part);
        return cl.getCommandSpec().options().stream().filter(o -> !o.usageHelp() && !o.versionHelp()).toList();
    }

    private static List<String> prefixed(String command, List<String> args) {
        List<String> all = new ArrayList<>(List.of(command.split(" ")));
        all.addAll(args);
        return all;
    }

    private static void tally(Case c) {
        int[] n = TALLY.computeIfAbsent(c.category(), k -> new int[2]);
        n[0]++;
        try {
            exitsTwoWithOneLine(c);
        } catch (AssertionError e) {
            n[1]++;
            throw e;
        }
    }

    private static void exitsTwoWithOneLine(Case c) {
        List<String> args = new ArrayList<>(c.args());
        // the run database of this test, never the working copy's
        args.add("--pipeline.db.path=" + dir.resolve("db/pipeline"));
        args.add("--pipeline.work-dir=" + dir.resolve("runs"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = MinerApp.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args.toArray(String[]::new));
        String text = err.toString().strip();
        assertEquals(2, code, "exit code; stderr: " + text + "; stdout: " + out);
        assertEquals(1, text.lines().count(), "one line: " + text);
        assertTrue(text.startsWith("error: "), text);
        assertTrue(text.contains(c.expected()), "should name '" + c.expected() + "': " + text);
        assertFalse(text.contains("\tat ") || text.contains("Exception") || text.matches("(?s).*\\bjava\\.\\w.*"),
                "a Java name or stack trace: " + text);
        assertTrue(text.length() < 1000, "too long: " + text.length());
        assertEquals("", out.toString(), "nothing on stdout");
    }
}
