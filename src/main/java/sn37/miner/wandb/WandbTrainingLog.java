package sn37.miner.wandb;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The miner's own W&B run (reference-miner.md §1.7). Creating the run and sending rows happen on one background
 * thread, in order, so {@link #step} never waits for the network. Rows of one step are merged and sent once the next
 * step starts (as wandb's partial history); {@link #finish} sends the rest, the summary (last value of each metric)
 * and {@code complete}, waiting at most {@code finishTimeout}. The first failure is logged once as a warning and
 * turns the log off: training never fails because of it.
 */
public final class WandbTrainingLog implements TrainingLog {
    private static final Logger LOG = LoggerFactory.getLogger(WandbTrainingLog.class);

    private final WandbRunWriter writer;
    private final String entity;
    private final String project;
    private final String runId;
    private final MinerRunConfig config;
    private final Clock clock;
    private final Duration finishTimeout;
    private final Instant started;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "wandb-training-log");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean dead = new AtomicBoolean();
    private final AtomicBoolean warned = new AtomicBoolean();

    // Guarded by this: the row being built and the rows waiting for the worker.
    private long currentStep = -1;
    private Map<String, Double> currentRow;
    private Instant currentAt;
    private final List<String> pending = new ArrayList<>();
    private final Map<String, Double> summary = new LinkedHashMap<>();
    private boolean finished;
    private boolean lowerStepReported;

    // Worker thread only.
    private WandbRunWriter.RunPath path;
    private int historyOffset;

    WandbTrainingLog(WandbRunWriter writer, String entity, String project, String runId, MinerRunConfig config,
            Clock clock, Duration finishTimeout) {
        this.writer = writer;
        this.entity = entity;
        this.project = project;
        this.runId = runId;
        this.config = config;
        this.clock = clock;
        this.finishTimeout = finishTimeout;
        this.started = clock.instant();
        worker.execute(this::create);
    }

    /** The W&B run id (8 characters), as in the run's URL. */
    public String runId() {
        return runId;
    }

    @Override
    public void step(long step, Map<String, Double> metrics) {
        if (dead.get()) {
            return;
        }
        synchronized (this) {
            if (finished) {
                return;
            }
            if (step < currentStep) {
                if (!lowerStepReported) {
                    lowerStepReported = true;
                    LOG.warn("W&B training log: step {} is lower than step {} already logged; such rows are not sent",
                            step, currentStep);
                }
                return;
            }
            if (step > currentStep) {
                emitCurrentRow();
                currentStep = step;
                currentRow = new LinkedHashMap<>();
                currentAt = clock.instant();
            }
            metrics.forEach((k, v) -> {
                if (k != null && v != null) {
                    currentRow.put(k, v);
                    summary.put(k, v);
                }
            });
            if (!pending.isEmpty()) {
                submit(this::flush);
            }
        }
    }

    @Override
    public void finish() {
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            emitCurrentRow();
            submit(this::complete);
        }
        worker.shutdown();
        try {
            if (!worker.awaitTermination(finishTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                report("the run did not finish within " + finishTimeout.toSeconds() + " s");
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.shutdownNow();
        }
    }

    private void emitCurrentRow() {
        if (currentRow == null || currentRow.isEmpty()) {
            return;
        }
        ObjectNode line = WandbHttp.JSON.createObjectNode();
        currentRow.forEach(line::put);
        line.put("_step", currentStep);
        line.put("_runtime", seconds(Duration.between(started, currentAt)));
        line.put("_timestamp", currentAt.toEpochMilli() / 1000.0);
        pending.add(json(line));
        currentRow = null;
    }

    private void submit(Runnable task) {
        try {
            worker.execute(task);
        } catch (RejectedExecutionException e) {
            report("the log was already shut down");
        }
    }

    private void create() {
        try {
            path = writer.upsert(entity, project, runId, config.runName(), config.toConfigJson());
            LOG.info("W&B training log: run {}/{}/{}", path.entity(), path.project(), path.runId());
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    private void flush() {
        List<String> lines;
        synchronized (this) {
            lines = new ArrayList<>(pending);
            pending.clear();
        }
        if (dead.get() || lines.isEmpty()) {
            return;
        }
        ObjectNode body = WandbHttp.JSON.createObjectNode();
        ObjectNode history = body.putObject("files").putObject(WandbRunWriter.HISTORY_FILE);
        history.put("offset", historyOffset);
        lines.forEach(history.putArray("content")::add);
        try {
            writer.stream(path, body);
            historyOffset += lines.size();
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    private void complete() {
        flush();
        if (dead.get()) {
            return;
        }
        ObjectNode summaryLine = WandbHttp.JSON.createObjectNode();
        Instant now = clock.instant();
        synchronized (this) {
            summary.forEach(summaryLine::put);
            if (currentStep >= 0) {
                summaryLine.put("_step", currentStep);
            }
        }
        summaryLine.put("_runtime", seconds(Duration.between(started, now)));
        summaryLine.put("_timestamp", now.toEpochMilli() / 1000.0);
        ObjectNode body = WandbHttp.JSON.createObjectNode();
        ObjectNode file = body.putObject("files").putObject(WandbRunWriter.SUMMARY_FILE);
        file.put("offset", 0);
        file.putArray("content").add(json(summaryLine));
        body.put("complete", true);
        body.put("exitcode", 0);
        try {
            writer.stream(path, body);
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    private void fail(Exception e) {
        dead.set(true);
        report(e.getMessage());
    }

    private void report(String why) {
        dead.set(true);
        if (warned.compareAndSet(false, true)) {
            LOG.warn("W&B training log for {}/{} is off from now on ({}); training goes on without it", entity,
                    project, why);
        }
    }

    /** With NaN and infinities as bare literals, as wandb writes them. */
    private static String json(ObjectNode node) {
        try {
            return WandbHttp.JSON.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a row of numbers always serialises", e);
        }
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
