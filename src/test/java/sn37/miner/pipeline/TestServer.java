package sn37.miner.pipeline;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import sn37.miner.chain.ChainSettings;
import sn37.miner.chain.ChainTestKit;
import sn37.miner.config.Env;
import sn37.miner.config.Settings;
import sn37.miner.run.Run;
import sn37.miner.run.RunStatus;
import sn37.miner.stage.BuiltInStages;
import sn37.miner.stage.Stage;

/** A real pipeline server on loopback with its database and work dir under a temp dir. */
final class TestServer implements AutoCloseable {
    final PipelineServer server;
    final int port;
    final int managementPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer(PipelineServer server, int port, int managementPort) {
        this.server = server;
        this.port = port;
        this.managementPort = managementPort;
    }

    /** A loopback port nothing listens on: a test's remote that is not faked refuses at once, never the internet. */
    static final String NOWHERE = "http://127.0.0.1:9";
    private static final List<String> REMOTES = List.of("miner.hub.endpoint", "miner.wandb.base-url",
            "miner.data.hf.viewer-url");

    static Settings settings(Path dir, Map<String, String> extra) {
        int port = freePort();
        int mgmt = freePort();
        Map<String, String> o = new HashMap<>();
        o.put("pipeline.db.path", dir.resolve("db/pipeline").toString());
        o.put("pipeline.work-dir", dir.resolve("runs").toString());
        o.put("camel.server.port", String.valueOf(port));
        o.put("camel.management.port", String.valueOf(mgmt));
        o.put("pipeline.heartbeat-seconds", "1");
        o.put("pipeline.sweeper.enabled", "false");
        o.put("pipeline.api.data-root", dir.toString());
        o.put("pipeline.api.models-root", dir.toString());
        for (String key : REMOTES) o.put(key, NOWHERE);
        // runs that name no competition get B7_MULTI_CHOICE without a chain; tests of the live default set "chain"
        o.put("miner.competition.default", "2");
        o.putAll(extra);
        return Settings.load(Path.of("").toAbsolutePath(), Env.of(Map.of()), List.of()).with(o);
    }

    static TestServer start(Path dir) {
        return start(settings(dir, Map.of()), TestServer.builtIn());
    }

    /**
     * Starts the server with {@code stages}; load-model, train and evaluate, when the list lacks them, are
     * {@link TestStages.PassThrough} stand-ins (tests of run state need no model; MinerAppTest runs the real ones).
     */
    static TestServer start(Settings settings, List<Stage> stages) {
        return start(settings, stages, ChainTestKit.fast());
    }

    /** {@code chain}: how the server reads a node for the competition of a run that names none. */
    static TestServer start(Settings settings, List<Stage> stages, ChainSettings chain) {
        List<Stage> all = new ArrayList<>(stages);
        for (String name : List.of("load-model", "train", "evaluate")) {
            if (all.stream().noneMatch(x -> x.name().equals(name))) all.add(new TestStages.PassThrough(name));
        }
        PipelineServer s = PipelineServer.create(settings, all, chain).start();
        return new TestServer(s, Integer.parseInt(settings.get("camel.server.port")),
                Integer.parseInt(settings.get("camel.management.port")));
    }

    /**
     * The built-in stages with remotes that refuse at once ({@link #NOWHERE}; fetch-data without waits between
     * retries): tests bring their own fakes where they need remotes.
     */
    static List<Stage> builtIn() {
        Map<String, String> nowhere = new HashMap<>();
        for (String key : REMOTES) nowhere.put(key, NOWHERE);
        Settings s = Settings.load(Path.of("").toAbsolutePath(), Env.of(Map.of()), List.of()).with(nowhere);
        return BuiltInStages.all(s, Env.of(Map.of())).stream()
                .filter(x -> !List.of("load-model", "train", "evaluate").contains(x.name()))
                .map(x -> x.name().equals("fetch-data") ? TestStages.fetchData() : x).toList();
    }

    static List<Stage> withExtra(Stage... extra) {
        List<Stage> all = new ArrayList<>(TestServer.builtIn());
        all.addAll(List.of(extra));
        return all;
    }

    HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        for (int i = 0; i < headers.length; i += 2) b.setHeader(headers[i], headers[i + 1]);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> getManagement(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body))
                .header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) b.setHeader(headers[i], headers[i + 1]);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls the store until the run leaves QUEUED/RUNNING. */
    Run awaitFinished(String runId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Run r = server.store().get(runId);
            if (!r.status().isActive()) return r;
            Thread.sleep(50);
        }
        throw new AssertionError("run " + runId + " still " + server.store().get(runId).status() + " after " + timeout);
    }

    Run awaitStatus(String runId, RunStatus status, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Run r = server.store().get(runId);
            if (r.status() == status) return r;
            Thread.sleep(50);
        }
        throw new AssertionError("run " + runId + " is " + server.store().get(runId).status() + ", not " + status);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
