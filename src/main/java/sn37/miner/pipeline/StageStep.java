package sn37.miner.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.util.Json;
import sn37.miner.metrics.MinerMetrics;
import sn37.miner.run.ArtifactRecord;
import sn37.miner.run.ProgressLog;
import sn37.miner.run.Run;
import sn37.miner.run.RunStatus;
import sn37.miner.run.RunStore;
import sn37.miner.run.StageExecution;
import sn37.miner.run.StageStatus;
import sn37.miner.run.StoreEffects;
import sn37.miner.stage.Artifact;
import sn37.miner.stage.Progress;
import sn37.miner.stage.ProgressEta;
import sn37.miner.stage.ProgressEvent;
import sn37.miner.stage.RunParams;
import sn37.miner.stage.Stage;
import sn37.miner.stage.StageContext;
import sn37.miner.stage.StageException;
import sn37.miner.stage.StageMetrics;
import sn37.miner.stage.StageStoppedException;

/**
 * Wraps one stage with the run store, and owns the restart rules: skip a stage that already SUCCEEDED in
 * this run (unless its artifacts are gone), check the stages it needs, enforce its start limit, claim it for
 * this attempt (one winner), run it with a heartbeat, record outputs and artifacts or the error.
 */
public final class StageStep implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(StageStep.class);

    private final Stage stage;
    private final RunStore store;
    private final Path workRoot;
    private final Set<String> installed;
    private final String owner;
    private final ScheduledExecutorService heartbeats;
    private final Duration heartbeatEvery;
    private final Progress progress;
    private final ProgressLog progressLog;
    private final ProcessStop stop;
    private final MinerMetrics metrics;

    StageStep(Stage stage, RunStore store, Path workRoot, Set<String> installed, String owner,
            ScheduledExecutorService heartbeats, Duration heartbeatEvery, Progress progress, ProgressLog progressLog,
            ProcessStop stop, MinerMetrics metrics) {
        this.stage = stage;
        this.store = store;
        this.workRoot = workRoot;
        this.installed = installed;
        this.owner = owner;
        this.heartbeats = heartbeats;
        this.heartbeatEvery = heartbeatEvery;
        this.progress = progress;
        this.progressLog = progressLog;
        this.stop = stop;
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) {
        execute(exchange.getIn().getHeader(RunFlow.RUN_ID, String.class));
    }

    void execute(String runId) {
        String name = stage.name();
        Run run = store.get(runId);
        if (run.status() != RunStatus.RUNNING) {
            throw new ClaimLostException("run " + runId + " is " + run.status() + ", not RUNNING: stage " + name + " not started");
        }
        if (run.cancelRequested()) throw new RunCancelledException(name);
        if (stop.requested()) {
            throw new RunCancelledException(name, "the process was stopped (" + stop.cause() + ") before stage " + name);
        }
        RunParams params = RunFlow.params(run);

        Optional<StageExecution> last = store.latestStage(runId, name);
        if (last.isPresent() && last.get().status() == StageStatus.SUCCEEDED && !stage.allowRerunIfSucceeded()) {
            List<String> broken = brokenArtifacts(runId, name);
            if (broken.isEmpty()) {
                LOG.info("run {} stage {}: already SUCCEEDED in attempt {}, skipped", runId, name, last.get().attempt());
                return;
            }
            LOG.warn("run {} stage {}: SUCCEEDED before, but its artifacts changed or vanished ({}): running it again",
                    runId, name, String.join(", ", broken));
        }
        if (store.countStarts(runId, name) >= stage.startLimit()) {
            throw new StageFailedException(name, "stage " + name + " has started " + stage.startLimit()
                    + " times in run " + runId + ", its limit: start a new run", null);
        }
        StageExecution exec = store.claimStage(runId, name, run.attempt(), owner).orElseThrow(() ->
                new ClaimLostException("stage " + name + " of run " + runId + " attempt " + run.attempt()
                        + " is owned by another consumer"));

        long t0 = System.nanoTime();
        ScheduledFuture<?> beat = heartbeats.scheduleAtFixedRate(() -> beat(exec), heartbeatEvery.toMillis(),
                heartbeatEvery.toMillis(), TimeUnit.MILLISECONDS);
        try {
            checkRequirements(runId, params);
            StageContext ctx = new StageContext(runId, run.attempt(), params, workRoot.resolve(runId),
                    new RecordedOutputs(store, runId), () -> stop.requested() || store.get(runId).cancelRequested(),
                    new StoreEffects(store, runId, name), new ProgressEta(e -> recordProgress(runId, e)), metrics);
            LOG.info("run {} stage {}: started (attempt {})", runId, name, run.attempt());
            Object outputs;
            try {
                outputs = stage.run(ctx);
            } finally {
                progressLog.flush(runId); // before the stage's end is recorded: a finished run's events are all there
            }
            String json = Json.mapper().writeValueAsString(outputs);
            List<ArtifactRecord> artifacts = ctx.artifacts().stream().map(a -> record(runId, a)).toList();
            store.stageSucceeded(exec, json, artifacts);
            StageMetrics.succeeded(metrics, name, outputs, since(t0));
            LOG.info("run {} stage {}: SUCCEEDED in {} s", runId, name, String.format("%.2f", (System.nanoTime() - t0) / 1e9));
        } catch (StageStoppedException e) {
            String json = null;
            try {
                json = Json.mapper().writeValueAsString(e.outputs());
            } catch (Exception unwritable) {
                LOG.warn("run {} stage {}: outputs at the stop not recorded: {}", runId, name, unwritable.getMessage());
            }
            store.stageStopped(exec, json, e.getMessage());
            StageMetrics.ended(metrics, name, "cancelled", since(t0));
            LOG.info("run {} stage {}: CANCELLED: {}", runId, name, e.getMessage());
            throw new RunCancelledException(name, (stop.requested() ? "the process was stopped (" + stop.cause() + ")"
                    : "cancelled on request") + " during stage " + name + ": " + e.getMessage());
        } catch (CancellationException e) {
            if (!stop.requested() && !store.get(runId).cancelRequested()) {
                String message = describe(e);
                store.stageFailed(exec, message);
                StageMetrics.ended(metrics, name, "failed", since(t0));
                throw new StageFailedException(name, message, e);
            }
            // A stage that stops reading or scoring at a cancel (fetch-data, evaluate) has nothing to keep: it is
            // recorded as stopped, not failed, so the run ends CANCELLED and the sweeper leaves it alone.
            store.stageStopped(exec, null, e.getMessage());
            StageMetrics.ended(metrics, name, "cancelled", since(t0));
            LOG.info("run {} stage {}: CANCELLED: {}", runId, name, e.getMessage());
            throw new RunCancelledException(name, (stop.requested() ? "the process was stopped (" + stop.cause() + ")"
                    : "cancelled on request") + " during stage " + name + ": " + e.getMessage());
        } catch (Error e) {
            // An Error would pass the routes' onException (which handles Exceptions) and leave the run RUNNING.
            String message = "internal error " + e.getClass().getSimpleName() + " in stage " + name;
            store.stageFailed(exec, message);
            StageMetrics.ended(metrics, name, "failed", since(t0));
            LOG.error("run {} stage {}: FAILED: {}", runId, name, message, e);
            throw new StageFailedException(name, message, e);
        } catch (Exception e) {
            String message = describe(e);
            store.stageFailed(exec, message);
            StageMetrics.ended(metrics, name, "failed", since(t0));
            boolean expected = e instanceof StageException || e.getClass().getPackageName().startsWith("sn37.miner");
            LOG.warn("run {} stage {}: FAILED: {}", runId, name, message, expected ? null : e);
            throw new StageFailedException(name, message, e);
        } finally {
            beat.cancel(false);
        }
    }

    private static Duration since(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    private void checkRequirements(String runId, RunParams params) {
        for (String needed : stage.requires(params)) {
            Optional<StageExecution> r = store.latestStage(runId, needed);
            if (r.isPresent() && r.get().status() == StageStatus.SUCCEEDED) continue;
            if (!installed.contains(needed)) {
                throw new StageException("stage " + stage.name() + " needs the outputs of stage " + needed
                        + ", which is not available in this build: the run stops here");
            }
            throw new StageException("stage " + stage.name() + " needs the outputs of stage " + needed
                    + ", which has not succeeded in run " + runId);
        }
    }

    private List<String> brokenArtifacts(String runId, String name) {
        return store.artifacts(runId).stream()
                .filter(a -> a.stage().equals(name))
                .filter(a -> {
                    Path p = Path.of(a.path());
                    try {
                        return !Files.isRegularFile(p) || Files.size(p) != a.sizeBytes();
                    } catch (Exception e) {
                        return true;
                    }
                })
                .map(ArtifactRecord::name)
                .toList();
    }

    /** Into the run's progress log (the API and dashboard read it), then to the process's own display (the CLI's bar). */
    private void recordProgress(String runId, ProgressEvent e) {
        String json;
        try {
            json = Json.mapper().writeValueAsString(e);
        } catch (JsonProcessingException unwritable) {
            throw new IllegalStateException("a progress event is plain data: " + unwritable.getMessage(), unwritable);
        }
        progressLog.append(runId, e.stage(), json, e.isStep(), e.done(), e.isComplete());
        progress.report(e);
    }

    private void beat(StageExecution exec) {
        try {
            store.heartbeat(exec.id());
        } catch (RuntimeException e) {
            LOG.warn("heartbeat of stage execution {} failed: {}", exec.id(), e.getMessage());
        }
    }

    private static ArtifactRecord record(String runId, Artifact a) {
        return new ArtifactRecord(runId, a.name(), null, a.path().toString(), a.sizeBytes(), a.sha256(), null);
    }

    /** Our own exceptions carry messages written for the user; anything else is named by its type. */
    static String describe(Throwable e) {
        if (e instanceof InterruptedException) return "interrupted: the process is shutting down";
        // "path: reason" says it all; without a reason the type (NoSuchFileException, ...) is the reason
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getMessage();
        if (e instanceof StageException || e instanceof IllegalArgumentException
                || e.getClass().getPackageName().startsWith("sn37.miner")) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private record RecordedOutputs(RunStore store, String runId) implements StageContext.Outputs {
        @Override
        public <T> Optional<T> of(String stage, Class<T> type) {
            return store.latestStage(runId, stage)
                    .filter(s -> s.status() == StageStatus.SUCCEEDED && s.outputsJson() != null)
                    .map(s -> {
                        try {
                            return Json.recordReader(type).<T>readValue(s.outputsJson());
                        } catch (Exception e) {
                            throw new StageException("recorded outputs of stage " + stage + " in run " + runId
                                    + " cannot be read as " + type.getSimpleName() + ": " + e.getMessage(), e);
                        }
                    });
        }
    }
}
