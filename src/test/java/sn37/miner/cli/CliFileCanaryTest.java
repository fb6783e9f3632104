package sn37.miner.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import sn37.miner.MinerApp;
import sn37.miner.io.Canaries;
import sn37.miner.testing.Slow;

/**
 * The CLI, in-process as bin/miner runs it, given files of sentinel secrets ({@link Canaries}) as every path flag
 * ({@code --data_path}, {@code --init_config}, {@code --load_model_dir}): it fails, and no sentinel reaches stdout,
 * stderr, the log or the run database. {@code --data_path /dev/zero} fails at once naming the kind of file.
 */
@Slow
class CliFileCanaryTest {
    @TempDir static Path dir;
    static ListAppender<ILoggingEvent> logs;

    record Result(int code, String text) {}

    @BeforeAll
    static void attachLog() {
        logs = new ListAppender<>();
        logs.start();
        root().addAppender(logs);
    }

    @AfterAll
    static void detachLog() {
        root().detachAppender(logs);
    }

    @TestFactory
    Stream<DynamicTest> noSentinelReachesTheConsoleTheLogOrTheDatabase() throws Exception {
        List<List<String>> cases = new ArrayList<>();
        String env = Canaries.dotEnv(dir.resolve("files")).toString();
        cases.add(List.of("mine", "--offline", "--data_path", env));
        cases.add(List.of("mine", "--offline", "--init_config", env));
        Canaries.modelDirs(dir.resolve("models")).forEach((what, model) -> {
            if (what.startsWith("config.json")) {
                cases.add(List.of("mine", "--offline", "--init_config", model.resolve("config.json").toString()));
            }
            cases.add(List.of("mine", "--offline", "--load_model_dir", model.toString()));
            cases.add(List.of("upload", "--hf_repo_id", "me/model", "--load_model_dir", model.toString()));
        });
        List<DynamicTest> tests = new ArrayList<>();
        for (List<String> args : cases) {
            tests.add(dynamicTest(String.join(" ", args).replace(dir.toString(), "TMP"), () -> {
                Result r = run(args);
                assertNotEquals(0, r.code(), r.text());
                Canaries.assertNone("stdout/stderr", r.text());
            }));
        }
        tests.add(dynamicTest("the log", () -> {
            for (ILoggingEvent e : List.copyOf(logs.list)) {
                Canaries.assertNone("the log", e.getFormattedMessage());
                if (e.getThrowableProxy() != null) {
                    Canaries.assertNone("a logged stack trace", ThrowableProxyUtil.asString(e.getThrowableProxy()));
                }
            }
        }));
        tests.add(dynamicTest("the run database and work dir", () -> {
            Canaries.assertNoneInFiles(dir.resolve("db"));
            Canaries.assertNoneInFiles(dir.resolve("runs"));
        }));
        return tests.stream();
    }

    @Test
    void devZeroAsDataPathFailsNamingTheKindOfFile() {
        Result r = run(List.of("mine", "--offline", "--data_path", "/dev/zero"));
        assertNotEquals(0, r.code(), r.text());
        assertTrue(r.text().contains("/dev/zero") && r.text().contains("not a regular file"), r.text());
    }

    /** stdout and stderr of the command and of the process (logback's console), together. */
    private static Result run(List<String> args) {
        List<String> all = new ArrayList<>(args);
        all.add("--pipeline.db.path=" + dir.resolve("db/pipeline"));
        all.add("--pipeline.work-dir=" + dir.resolve("runs"));
        StringWriter out = new StringWriter();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        int code;
        try (PrintWriter w = new PrintWriter(out, true);
                PrintStream capture = new PrintStream(console, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            System.setErr(capture);
            CommandLine cl = MinerApp.commandLine();
            cl.setOut(w);
            cl.setErr(w);
            code = cl.execute(all.toArray(String[]::new));
            w.flush();
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        String text = out + console.toString(StandardCharsets.UTF_8);
        oldOut.print(text);
        return new Result(code, text);
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
