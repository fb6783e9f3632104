package sn37.miner.pipeline;

import java.time.Instant;
import java.util.Set;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.util.Json;
import sn37.miner.config.PipelineSettings;
import sn37.miner.metrics.MinerMetrics;
import sn37.miner.run.FailureKind;
import sn37.miner.run.Run;
import sn37.miner.run.RunStatus;
import sn37.miner.run.RunStore;
import sn37.miner.run.StageExecution;
import sn37.miner.stage.Gate;
import sn37.miner.stage.RunParams;
import sn37.miner.stage.StageException;
import sn37.miner.stage.StageNames;

/** The run-level steps of the routes: claim a queued run, decide publishing, finish it, record a failure. */
public final class RunFlow {
    private static final Logger LOG = LoggerFactory.getLogger(RunFlow.class);
    public static final String RUN_ID = "minerRunId";
    public static final String RUN_KIND = "minerRunKind";
    /** Run kind of the upload CLI: upload then commit, without the stages before them. */
    public static final String PUBLISH = "publish";

    private final RunStore store;
    private final PipelineSettings settings;
    private final Set<String> installed;
    private final ProcessStop stop;
    private final MinerMetrics metrics;

    RunFlow(RunStore store, PipelineSettings settings, Set<String> installed, ProcessStop stop, MinerMetrics metrics) {
        this.store = store;
        this.settings = settings;
        this.installed = installed;
        this.stop = stop;
        this.metrics = metrics;
    }

    /** QUEUED → RUNNING; false (drop the message) when the run was cancelled or claimed elsewhere. */
    public boolean claim(Exchange ex) {
        String runId = ex.getIn().getBody(String.class);
        ex.getIn().removeHeaders("*");
        if (stop.requested()) {
            LOG.info("run {} not started: the process is stopping ({}); it stays QUEUED for the next start", runId,
                    stop.cause());
            return false;
        }
        if (!store.claimRun(runId)) {
            LOG.info("run {} not claimed: it is {} now", runId, store.find(runId).map(Run::status).orElse(null));
            return false;
        }
        Run run = store.get(runId);
        ex.getIn().setHeader(RUN_ID, runId);
        ex.getIn().setHeader(RUN_KIND, run.kind());
        LOG.info("run {} ({}) attempt {}: RUNNING", runId, run.kind(), run.attempt());
        return true;
    }

    /** True when this run publishes nothing: the gate said no, or the run is offline. */
    public boolean publishNotWanted(Exchange ex) {
        Run run = store.get(runId(ex));
        return !gate(run).passed() || params(run).offline();
    }

    /** Records upload and commit SKIPPED with the reason, so the run shows why nothing was published. */
    public void skipPublish(Exchange ex) throws Exception {
        Run run = store.get(runId(ex));
        Gate.Output d = gate(run);
        String reason = d.passed() ? "offline: nothing is published" : "gate rejected: " + d.reason();
        String outputs = Json.mapper().writeValueAsString(java.util.Map.of("reason", reason));
        for (String stage : StageNames.PUBLISH) store.recordSkipped(run.id(), stage, run.attempt(), outputs);
    }

    /** The end of a run that no stage failed: SUCCEEDED, REJECTED by the gate, or FAILED for a missing stage. */
    public void complete(Exchange ex) {
        Run run = store.get(runId(ex));
        if (run.status() != RunStatus.RUNNING) return;
        if (run.isPipeline() || run.kind().equals(StageNames.GATE)) {
            Gate.Output d = gate(run);
            if (!d.passed()) {
                finish(run, RunStatus.REJECTED, null, d.reason());
                return;
            }
        }
        if (run.isPipeline() || run.kind().equals(PUBLISH)) {
            for (String stage : StageNames.PUBLISH) {
                boolean done = store.latestStage(run.id(), stage).map(StageExecution::status)
                        .filter(s -> s.isDone()).isPresent();
                if (!done) {
                    String why = installed.contains(stage)
                            ? "stage " + stage + " did not complete"
                            : "the model passed the gate, but stage " + stage + " is not available in this build:"
                                    + " resume this run once it is";
                    finish(run, RunStatus.FAILED, stage, why);
                    return;
                }
            }
        }
        finish(run, RunStatus.SUCCEEDED, null, null);
    }

    /** Exception handler of the runs route. */
    public void failed(Exchange ex) {
        Throwable e = ex.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String runId = runId(ex);
        if (runId == null || e instanceof ClaimLostException) {
            LOG.info("run {}: {}", runId, e == null ? "stopped" : e.getMessage());
            return;
        }
        Run run = store.get(runId);
        if (run.status() != RunStatus.RUNNING) return;
        if (e instanceof RunCancelledException c && !run.cancelRequested() && stop.requested()) {
            finish(run, RunStatus.FAILED, c.stage(), "interrupted: " + c.getMessage() + "; resume with `bin/miner"
                    + " runs resume " + runId + "` (or POST /api/runs/" + runId + "/resume)");
        } else if (e instanceof RunCancelledException c) {
            finish(run, RunStatus.CANCELLED, c.stage(), c.getMessage());
        } else if (e instanceof StageFailedException f) {
            finish(run, RunStatus.FAILED, f.stage(), f.getMessage(), FailureClassifier.of(f.getCause()));
        } else {
            LOG.error("run {} failed outside any stage", runId, e);
            finish(run, RunStatus.FAILED, null, e == null ? "unknown error" : StageStep.describe(e),
                    FailureClassifier.of(e));
        }
    }

    private void finish(Run run, RunStatus status, String failedStage, String error) {
        finish(run, status, failedStage, error, status == RunStatus.FAILED ? FailureKind.PERMANENT : null);
    }

    private void finish(Run run, RunStatus status, String failedStage, String error, FailureKind kind) {
        Instant retryAt = null;
        if (status == RunStatus.FAILED && kind == FailureKind.TRANSIENT && StageNames.PUBLISH.contains(failedStage)
                && installed.contains(failedStage) && run.autoRetries() < settings.sweeperMaxRetries()) {
            retryAt = Instant.now().plus(settings.retryDelay(run.autoRetries()));
        }
        store.finishRun(run.id(), status, failedStage, error, retryAt, kind);
        metrics.runFinished(run.id(), run.kind(), status.name().toLowerCase(java.util.Locale.ROOT));
        LOG.info("run {} attempt {}: {}{}", run.id(), run.attempt(), status, error == null ? "" : " (" + error + ")");
    }

    private Gate.Output gate(Run run) {
        return store.latestStage(run.id(), StageNames.GATE)
                .filter(s -> s.outputsJson() != null)
                .map(s -> {
                    try {
                        return Json.recordReader(Gate.Output.class).<Gate.Output>readValue(s.outputsJson());
                    } catch (Exception e) {
                        throw new StageException("the gate's recorded decision is unreadable: " + e.getMessage(), e);
                    }
                })
                .orElseThrow(() -> new StageException("run " + run.id() + " has no gate decision"));
    }

    private static String runId(Exchange ex) {
        return ex.getIn().getHeader(RUN_ID, String.class);
    }

    static RunParams params(Run run) {
        try {
            return Json.mapper().readValue(run.paramsJson(), RunParams.class);
        } catch (Exception e) {
            throw new StageException("parameters of run " + run.id() + " are unreadable: " + e.getMessage(), e);
        }
    }
}
