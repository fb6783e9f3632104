package sn37.miner.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import sn37.miner.MinerApp;
import sn37.miner.config.Env;
import sn37.miner.config.PipelineSettings;
import sn37.miner.config.Settings;
import sn37.miner.pipeline.PipelineServer;
import sn37.miner.run.Run;
import sn37.miner.run.RunConflictException;
import sn37.miner.run.RunReport;
import sn37.miner.run.RunStatus;
import sn37.miner.stage.BuiltInStages;
import sn37.miner.stage.PublishPreflight;
import sn37.miner.stage.RunParams;
import sn37.miner.stage.RunPreflight;
import sn37.miner.util.Json;
import sn37.miner.stage.StageServices;
import sn37.miner.chain.ChainSettings;

/** The pipeline in this process without HTTP or schedules, for the CLI's mine and resume. */
final class OneShot implements AutoCloseable {
    private final PipelineServer server;
    private final GracefulStop stop;
    private final ProgressBar bar;
    private final RunLog log;
    private final Path workRoot;
    private Path logFile;

    private OneShot(PipelineServer server, GracefulStop stop, ProgressBar bar, RunLog log, Path workRoot) {
        this.server = server;
        this.stop = stop;
        this.bar = bar;
        this.log = log;
        this.workRoot = workRoot;
    }

    /** @param verbose keep the log on stderr; otherwise it goes to the run's folder while the bar is drawn */
    static OneShot start(List<String> overrides, boolean verbose) {
        Env env = Env.load(Path.of(""));
        Settings settings = PipelineServer.oneShot(Settings.load(MinerApp.home(), env, overrides));
        ProgressBar bar = new ProgressBar(System.err, Terminal.stderrIsTerminal());
        RunLog log = verbose ? null : RunLog.quiet(bar);
        PipelineServer server;
        try {
            server = PipelineServer.create(settings, BuiltInStages.all(settings, env)).start();
        } catch (RuntimeException e) {
            if (log != null) log.close();
            throw e;
        }
        server.showProgress(bar);
        return new OneShot(server, GracefulStop.install(server, bar.linesAbove(), () -> { }), bar, log,
                PipelineSettings.from(settings).workDir());
    }

    /** The publish pre-flight of a run that is not --offline: token, repo, hotkey registered. */
    static String preflight(RunParams params, List<String> overrides) {
        Env env = Env.load(Path.of(""));
        Settings settings = Settings.load(MinerApp.home(), env, overrides);
        return PublishPreflight.check(params, StageServices.from(settings, env), ChainSettings.defaults());
    }

    /** The remote endpoints the configuration names (the chain's, for the default competition). */
    static sn37.miner.config.Endpoints endpoints(List<String> overrides) {
        Env env = Env.load(Path.of(""));
        return sn37.miner.config.Endpoints.from(Settings.load(MinerApp.home(), env, overrides), env);
    }

    /**
     * With --trainer torch or --eval_backend torch: the trainer folder and its Python environment are where the
     * configuration says.
     */
    static void trainerPreflight(RunParams params, List<String> overrides) {
        if (!params.trainer().equals(RunParams.TORCH) && !params.evalBackend().equals(RunParams.TORCH)) return;
        RunPreflight.trainer(Run.PIPELINE, params, Settings.load(MinerApp.home(), Env.load(Path.of("")), overrides));
    }

    Run submitAndWait(String kind, RunParams params) throws InterruptedException {
        Run run = server.queue().submit(kind, params, "CLI", null).run();
        announce(run.id());
        return await(run.id());
    }

    /** Says where the run's folder and log are, before any progress is drawn. */
    private void announce(String runId) {
        Path folder = runFolder(runId);
        String where = "run " + runId + ": folder " + folder;
        if (log != null) {
            try {
                logFile = log.writeTo(folder);
                where += ", log " + logFile + " (--verbose keeps it here)";
            } catch (java.io.IOException e) {
                where += "; the log stays here (" + folder.resolve(RunLog.FILE) + " cannot be written: " + e.getMessage()
                        + ")";
                log.close();
            }
        }
        bar.above(where);
    }

    private Path runFolder(String runId) {
        return workRoot.resolve(runId).toAbsolutePath().normalize();
    }

    Run resumeAndWait(String runId) throws InterruptedException {
        Run run = server.store().get(runId);
        if (run.status().isResumable()) { // else resume below says why not
            try {
                RunPreflight.cli().check(run.kind(), Json.mapper().readValue(run.paramsJson(), RunParams.class));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("parameters of run " + runId + " are unreadable: " + e.getOriginalMessage());
            }
        }
        server.queue().resume(runId, false);
        announce(runId);
        return await(runId);
    }

    private Run await(String runId) throws InterruptedException {
        while (true) {
            Run r = server.store().get(runId);
            if (!r.status().isActive()) return r;
            if (stop.cause() != null && r.status() == RunStatus.QUEUED) {
                // Stopped before the run began: no stage starts now, so it is cancelled, and resumable.
                try {
                    server.store().requestCancel(runId);
                } catch (RunConflictException changedMeanwhile) {
                    // claimed just before the stop: the stage sees the stop instead
                }
                continue;
            }
            if (stop.cause() == null && System.err.checkError()) {
                // The terminal or pipe the progress goes to is gone (EPIPE; the JVM ignores SIGPIPE): stop as on
                // Ctrl-C rather than train on unwatched.
                stop.request("SIGPIPE");
            }
            if (!server.isRunning()) {
                throw new IllegalStateException("the pipeline stopped before run " + runId + " finished (it is "
                        + r.status() + "; the next start marks it FAILED(interrupted) and `miner runs resume "
                        + runId + "` resumes it)");
            }
            Thread.sleep(100);
        }
    }

    /**
     * Prints the summary; exit code 0 when the run ended SUCCEEDED or REJECTED (the gate's normal no), 128 + the
     * signal's number when a signal stopped it (130 for Ctrl-C), else 1.
     */
    int printSummary(Run run, PrintWriter out) {
        bar.finish();
        out.print(RunSummary.render(RunReport.of(server.store(), run.id()), runFolder(run.id()), logFile));
        boolean interrupted = stop.cause() != null && run.status().isResumable();
        if (interrupted) {
            out.println("interrupted by " + stop.cause() + "; resume with: bin/miner runs resume " + run.id());
        }
        out.flush();
        if (interrupted) return stop.exitStatus();
        return run.status() == RunStatus.SUCCEEDED || run.status() == RunStatus.REJECTED ? 0 : 1;
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            stop.close();
            bar.finish();
            if (log != null) log.close();
        }
    }
}
