package sn37.miner.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.chain.ChainSettings;
import sn37.miner.config.ConfigException;
import sn37.miner.config.PipelineSettings;
import sn37.miner.config.Settings;
import sn37.miner.run.ProgressLog;
import sn37.miner.run.RunDatabase;
import sn37.miner.run.RunStatus;
import sn37.miner.run.RunStore;
import sn37.miner.stage.RunPreflight;
import sn37.miner.stage.Stage;

/**
 * The pipeline: Camel Main with the YAML routes, the run database, and the stages. {@link #start()} returns
 * once the routes run; {@link #runUntilStopped()} blocks until {@link #shutdown()}. Runs left RUNNING by a dead process
 * become FAILED("interrupted"), and QUEUED runs are handed to the queue again.
 */
public final class PipelineServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineServer.class);

    private final Main main;
    private final RunDatabase db;
    private final RunStore store;
    private final ProgressLog progressLog;
    private final PipelineConfiguration configuration;
    private final ScheduledExecutorService heartbeats;
    private final ProcessStop stop;
    private final Duration shutdownTimeout;
    private final AtomicBoolean closed = new AtomicBoolean();

    private PipelineServer(Main main, RunDatabase db, RunStore store, ProgressLog progressLog,
            PipelineConfiguration configuration, ScheduledExecutorService heartbeats, ProcessStop stop,
            Duration shutdownTimeout) {
        this.main = main;
        this.db = db;
        this.store = store;
        this.progressLog = progressLog;
        this.configuration = configuration;
        this.heartbeats = heartbeats;
        this.stop = stop;
        this.shutdownTimeout = shutdownTimeout;
    }

    public static PipelineServer create(Settings settings, List<Stage> stages) {
        return create(settings, stages, ChainSettings.defaults());
    }

    /** {@code chain}: how the node is read for the competition of a run that names none. */
    static PipelineServer create(Settings settings, List<Stage> stages, ChainSettings chain) {
        PipelineSettings ps = PipelineSettings.from(settings);
        CompetitionDefault competition = CompetitionDefault.from(settings, chain);
        ApiReadiness api = apiReadiness(settings);
        CompetitionDefault.Request scheduleParams;
        try {
            scheduleParams = CompetitionDefault.Request.of(sn37.miner.run.Run.PIPELINE, ps.scheduleParamsJson());
        } catch (Exception e) {
            throw new ConfigException("pipeline.schedule.params is not valid run parameters: " + e.getMessage());
        }
        RunDatabase db = RunDatabase.open(ps.dbPath());
        RunStore store = new RunStore(db.dataSource());
        List<String> interrupted = store.recoverInterrupted();
        if (!interrupted.isEmpty()) {
            LOG.warn("{} run(s) were RUNNING when the last process stopped; now FAILED(interrupted), resumable: {}",
                    interrupted.size(), interrupted);
        }
        ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stage-heartbeat");
            t.setDaemon(true);
            return t;
        });
        ProcessStop stop = new ProcessStop();
        ProgressLog progressLog = new ProgressLog(db.dataSource());
        PipelineConfiguration cfg = new PipelineConfiguration(ps, store, stages, scheduleParams, competition, heartbeats, owner(),
                stop, api, RunPreflight.api(settings), progressLog);
        Main main = new Main();
        main.configure().addConfiguration(cfg);
        main.setOverrideProperties(settings.asProperties());
        Duration timeout = Duration.ofSeconds(settings.getInt("camel.main.shutdown-timeout", 1, 86_400));
        return new PipelineServer(main, db, store, progressLog, cfg, heartbeats, stop, timeout);
    }

    /** Null without an HTTP API; otherwise its readiness, once its port and the management port are seen free. */
    private static ApiReadiness apiReadiness(Settings settings) {
        if (settings.getBoolean("camel.management.enabled")) {
            ApiReadiness.requireFree(settings.get("camel.management.host"),
                    settings.getInt("camel.management.port", 1, 65_535), "camel.management.host, camel.management.port");
        }
        if (!settings.getBoolean("camel.server.enabled")) return null;
        ApiReadiness api = new ApiReadiness(settings.get("camel.server.host"), settings.getInt("camel.server.port", 1, 65_535));
        api.requireFree();
        return api;
    }

    public PipelineServer start() {
        try {
            main.start();
            UnmatchedRequests.install(context());
        } catch (Exception e) {
            close();
            throw startFailure(e);
        }
        requeue();
        return this;
    }

    /** Serves until {@link #shutdown()} (the CLI calls it on SIGTERM / Ctrl-C, once the running stage stopped). */
    public void runUntilStopped() throws Exception {
        main.addMainListener(new org.apache.camel.main.MainListenerSupport() {
            @Override
            public void afterStart(org.apache.camel.main.BaseMainSupport m) {
                requeue();
            }
        });
        try {
            main.run();
        } catch (Exception e) {
            throw startFailure(e);
        } finally {
            close();
        }
    }

    /** A configuration error raised while Camel starts (a port that cannot be bound) is the one line to show. */
    private static ConfigException startFailure(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException c) return c;
        }
        return new ConfigException("the pipeline did not start: " + e.getMessage());
    }

    private void requeue() {
        for (String id : store.queuedRunIds()) configuration.queue().enqueue(id);
    }

    /**
     * The process is told to stop: the running stage stops at its next unit of work (train writes a checkpoint),
     * its run becomes FAILED("interrupted: ..."), resumable, and no further stage or run starts.
     */
    public void stopRuns(String cause) {
        stop.request(cause);
    }

    /** Waits until no run is RUNNING (this process owns the database); false when {@code timeout} passed first. */
    public boolean awaitRunsStopped(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!store.list(RunStatus.RUNNING, 1).isEmpty()) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(50);
        }
        return true;
    }

    /** For a stop that could not wait: the runs still RUNNING become FAILED("interrupted"), resumable. */
    public List<String> markInterrupted() {
        return store.recoverInterrupted();
    }

    /** How long a graceful stop waits for running stages: {@code camel.main.shutdown-timeout}. */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /** Makes {@link #runUntilStopped()} return (it then closes the server). */
    public void shutdown() {
        main.completed();
    }

    /** False once Camel is stopping (SIGTERM, Ctrl-C). */
    public boolean isRunning() {
        return main.isStarted() && !main.isStopping() && context() != null && context().getStatus().isStarted();
    }

    /** Shows the stages' progress events on {@code progress} (the CLI's progress bar) as well as recording them. */
    public void showProgress(sn37.miner.stage.Progress progress) {
        configuration.progressTo(progress);
    }

    public RunStore store() {
        return store;
    }

    /** The runs' recorded progress events. */
    public ProgressLog progressLog() {
        return progressLog;
    }

    public RunQueue queue() {
        return configuration.queue();
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    @Override
    public void close() {
        if (closed.getAndSet(true)) return;
        try {
            if (main.isStarted()) main.stop();
        } catch (Exception e) {
            LOG.warn("stopping Camel: {}", e.getMessage());
        }
        heartbeats.shutdownNow();
        progressLog.close();
        db.close();
    }

    /**
     * "host:pid" for stage_execution.owner. The host name is read, never resolved: InetAddress.getLocalHost() may ask
     * DNS (and stall offline) when the name is not in /etc/hosts.
     */
    static String owner() {
        String host = "localhost";
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip(); // Linux; elsewhere absent
            if (!name.isEmpty()) host = name;
        } catch (IOException | RuntimeException absent) {
            // keep "localhost": the pid still tells processes apart on one machine, where the database file lives
        }
        return host + ":" + ProcessHandle.current().pid();
    }

    /** Settings for one-shot use from the CLI: no HTTP server or API routes, no management port or metrics, no schedules. */
    public static Settings oneShot(Settings s) {
        String routes = s.home().resolve("routes").toString();
        return s.with(Map.of("camel.server.enabled", "false", "camel.management.enabled", "false",
                "camel.main.routes-include-pattern", "file:" + routes + "/pipeline.yaml,file:" + routes + "/schedule.yaml",
                "pipeline.schedule.enabled", "false", "pipeline.sweeper.enabled", "false", "camel.metrics.enabled", "false"))
                .without("camel.rest.api-context-path");
    }
}
