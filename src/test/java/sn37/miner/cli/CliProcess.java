package sn37.miner.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import sn37.miner.MinerApp;

/**
 * {@code bin/miner ARGS} as a user runs it: {@link MinerApp} in a child JVM, its stdout and stderr read through
 * pipes, so that output the process never flushes is missing here as it is in a terminal or a shell pipe.
 */
public final class CliProcess {
    public record Result(int code, String out, String err) {}

    private CliProcess() {}

    public static Result run(List<String> args) {
        return run(args, Map.of());
    }

    public static Result run(List<String> args, Map<String, String> env) {
        Running child = start(args, env);
        if (!child.awaitExit(Duration.ofMinutes(3))) {
            child.kill();
            fail("miner " + args + " did not exit in 3 minutes");
        }
        return child.result();
    }

    /** The child, running; its output is read as it comes. */
    public static final class Running {
        private final Process process;
        private final CompletableFuture<String> out;
        private final CompletableFuture<String> err;

        private Running(Process process) {
            this.process = process;
            this.out = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()));
            this.err = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** True when the child exited by itself within {@code limit}. */
        public boolean awaitExit(Duration limit) {
            try {
                return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        public void kill() {
            try {
                process.destroyForcibly().waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Exit code and everything printed; call once the child has exited. */
        public Result result() {
            return new Result(process.exitValue(), out.join(), err.join());
        }
    }

    public static Running start(List<String> args, Map<String, String> env) {
        return start(MinerApp.home(), args, env);
    }

    /** The miner with {@code home} as its directory (config/, routes/, db/). */
    public static Running start(Path home, List<String> args, Map<String, String> env) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-Dsn37.home=" + home, "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), MinerApp.class.getName()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        try {
            Process child = pb.start();
            child.getOutputStream().close();
            return new Running(child);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String drain(InputStream in) {
        try (in) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return buf.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
