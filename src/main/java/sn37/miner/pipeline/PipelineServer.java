package sn37.miner.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.config.ConfigException;
import sn37.miner.config.PipelineSettings;
import sn37.miner.config.Settings;
import sn37.miner.run.RunDatabase;
import sn37.miner.run.RunStore;
import sn37.miner.stage.RunParams;
import sn37.miner.stage.RunPreflight;
import sn37.miner.stage.Stage;

/**
 * The pipeline: Camel Main with the YAML routes, the run database, and the stages. {@link #start()} returns
 * once the routes run; {@link #runUntilStopped()} blocks until SIGTERM. Runs left RUNNING by a dead process
 * become FAILED("interrupted"), and QUEUED runs are handed to the queue again.
 */
public final class PipelineServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineServer.class);

    private final Main main;
    private final RunDatabase db;
    private final RunStore store;
    private final PipelineConfiguration configuration;
    private final ScheduledExecutorService heartbeats;

    private PipelineServer(Main main, RunDatabase db, RunStore store, PipelineConfiguration configuration,
            ScheduledExecutorService heartbeats) {
        this.main = main;
        this.db = db;
        this.store = store;
        this.configuration = configuration;
        this.heartbeats = heartbeats;
    }

    public static PipelineServer create(Settings settings, List<Stage> stages) {
        PipelineSettings ps = PipelineSettings.from(settings);
        RunParams scheduleParams;
        try {
            scheduleParams = RunApi.parseParams(ps.scheduleParamsJson());
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
        PipelineConfiguration cfg = new PipelineConfiguration(ps, store, stages, scheduleParams, heartbeats, owner(),
                RunPreflight.api(settings));
        Main main = new Main();
        main.configure().addConfiguration(cfg);
        main.setOverrideProperties(settings.asProperties());
        return new PipelineServer(main, db, store, cfg, heartbeats);
    }

    public PipelineServer start() {
        try {
            main.start();
            UnmatchedRequests.install(context());
        } catch (Exception e) {
            close();
            throw new ConfigException("the pipeline did not start: " + e.getMessage());
        }
        requeue();
        return this;
    }

    /** Serves until the process is told to stop (SIGTERM / Ctrl-C). */
    public void runUntilStopped() throws Exception {
        main.addMainListener(new org.apache.camel.main.MainListenerSupport() {
            @Override
            public void afterStart(org.apache.camel.main.BaseMainSupport m) {
                requeue();
            }
        });
        try {
            main.run();
        } finally {
            close();
        }
    }

    private void requeue() {
        for (String id : store.queuedRunIds()) configuration.queue().enqueue(id);
    }

    /** False once Camel is stopping (SIGTERM, Ctrl-C). */
    public boolean isRunning() {
        return main.isStarted() && !main.isStopping() && context() != null && context().getStatus().isStarted();
    }

    /** Shows the stages' progress reports on {@code progress} (the CLI's progress bar). */
    public void showProgress(sn37.miner.stage.Progress progress) {
        configuration.progressTo(progress);
    }

    public RunStore store() {
        return store;
    }

    public RunQueue queue() {
        return configuration.queue();
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    @Override
    public void close() {
        try {
            if (main.isStarted()) main.stop();
        } catch (Exception e) {
            LOG.warn("stopping Camel: {}", e.getMessage());
        }
        heartbeats.shutdownNow();
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

    /** Settings for one-shot use from the CLI: no HTTP server or API routes, no management port, no schedules. */
    public static Settings oneShot(Settings s) {
        String routes = s.home().resolve("routes").toString();
        return s.with(Map.of("camel.server.enabled", "false", "camel.management.enabled", "false",
                "camel.main.routes-include-pattern", "file:" + routes + "/pipeline.yaml,file:" + routes + "/schedule.yaml",
                "pipeline.schedule.enabled", "false", "pipeline.sweeper.enabled", "false"))
                .without("camel.rest.api-context-path");
    }
}
