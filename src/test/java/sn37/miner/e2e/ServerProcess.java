package sn37.miner.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A {@link CrashableServer} child process on loopback ports, its output appended to {@code server.log}. */
final class ServerProcess implements AutoCloseable {
    final Process process;
    final ServerProcessApi api;
    private final Path log;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.api = new ServerProcessApi(port);
        this.log = log;
    }

    static ServerProcess start(Path dir, Map<String, String> settings, Map<String, String> env, String crashBefore)
            throws IOException, InterruptedException {
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-XX:+UseSerialGC", "-Dai.djl.offline=true",
                "-Dcrash.journal=" + dir.resolve("journal.txt")));
        if (crashBefore != null) cmd.add("-Dcrash.before=" + crashBefore);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), CrashableServer.class.getName()));
        settings.forEach((k, v) -> cmd.add("--" + k + "=" + v));
        cmd.add("--camel.server.port=" + port);
        cmd.add("--camel.management.port=" + freePort());
        cmd.add("--pipeline.db.path=" + dir.resolve("db/pipeline"));
        cmd.add("--pipeline.work-dir=" + dir.resolve("runs"));
        Path log = dir.resolve("server.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        ServerProcess s = new ServerProcess(pb.start(), port, log);
        s.awaitReady(Duration.ofSeconds(90));
        return s;
    }

    private void awaitReady(Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new AssertionError("the server exited with " + process.exitValue() + ":\n" + logTail());
            try {
                if (api.get("/api/runs?limit=1").statusCode() == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        process.destroyForcibly().waitFor();
        throw new AssertionError("the server did not answer within " + timeout + ":\n" + logTail());
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    void kill() {
        try {
            process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends {@code signal} (e.g. "INT", Ctrl-C) and waits for the process to end; its exit status. */
    int signalAndAwaitExit(String signal, Duration timeout) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            kill();
            throw new AssertionError("SIG" + signal + " did not stop the server within " + timeout + ":\n" + logTail());
        }
        return process.exitValue();
    }

    String logTail() throws IOException {
        if (!Files.exists(log)) return "";
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** SIGTERM, as a service manager stops it. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
