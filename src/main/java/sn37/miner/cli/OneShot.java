package sn37.miner.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import sn37.miner.MinerApp;
import sn37.miner.config.Env;
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
import sn37.miner.config.Json;
import sn37.miner.stage.StageServices;
import sn37.miner.chain.ChainOptions;

/** The pipeline in this process without HTTP or schedules, for the CLI's mine and resume. */
final class OneShot implements AutoCloseable {
    private final PipelineServer server;
    private final GracefulStop stop;

    private OneShot(PipelineServer server, GracefulStop stop) {
        this.server = server;
        this.stop = stop;
    }

    static OneShot start(List<String> overrides) {
        Env env = Env.load(Path.of(""));
        Settings settings = PipelineServer.oneShot(Settings.load(MinerApp.home(), env, overrides));
        PipelineServer server = PipelineServer.create(settings, BuiltInStages.all(settings, env)).start();
        server.showProgress(new ProgressBar(System.err, System.console() != null));
        return new OneShot(server, GracefulStop.install(server, System.err, () -> { }));
    }

    /** The publish pre-flight of a run that is not --offline: token, repo, hotkey registered. */
    static String preflight(RunParams params, List<String> overrides) {
        Env env = Env.load(Path.of(""));
        Settings settings = Settings.load(MinerApp.home(), env, overrides);
        return PublishPreflight.check(params, StageServices.from(settings, env), ChainOptions.defaults());
    }

    /** With --trainer torch: the trainer and its Python environment are where the configuration says. */
    static void trainerPreflight(RunParams params, List<String> overrides) {
        if (!params.trainer().equals(RunParams.TORCH)) return;
        RunPreflight.trainer(Run.PIPELINE, params, Settings.load(MinerApp.home(), Env.load(Path.of("")), overrides));
    }

    Run submitAndWait(String kind, RunParams params) throws InterruptedException {
        Run run = server.queue().submit(kind, params, "CLI", null).run();
        return await(run.id());
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
        out.print(RunSummary.render(RunReport.of(server.store(), run.id())));
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
        }
    }
}
