package sn37.miner.stage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import sn37.miner.metrics.MinerMetrics;
import sn37.miner.run.EffectLedger;
import sn37.miner.run.EffectRecords;

/** What a stage sees of its run: id, parameters, outputs of earlier stages, its work dir. */
public final class StageContext {
    /** Reads the recorded outputs of an earlier stage of the same run. */
    public interface Outputs {
        <T> Optional<T> of(String stage, Class<T> type);
    }

    private final String runId;
    private final int attempt;
    private final RunParams params;
    private final Path workDir;
    private final Outputs outputs;
    private final BooleanSupplier cancelRequested;
    private final EffectLedger effects;
    private final Progress progress;
    private final MinerMetrics metrics;
    private final List<Artifact> artifacts = new ArrayList<>();

    public StageContext(String runId, int attempt, RunParams params, Path workDir, Outputs outputs,
            BooleanSupplier cancelRequested, EffectRecords effects, Progress progress, MinerMetrics metrics) {
        this.runId = runId;
        this.attempt = attempt;
        this.params = params;
        this.workDir = workDir;
        this.outputs = outputs;
        this.cancelRequested = cancelRequested;
        this.effects = new EffectLedger(effects);
        this.progress = progress;
        this.metrics = metrics;
    }

    /** Where this stage reports how far it is; {@code stage} is filled in by the caller of {@link Progress}. */
    public Progress progress() {
        return progress;
    }

    /** Where a stage reports figures as they happen (train steps); what its outputs hold, the runner reports. */
    public MinerMetrics metrics() {
        return metrics;
    }

    public String runId() {
        return runId;
    }

    public int attempt() {
        return attempt;
    }

    public RunParams params() {
        return params;
    }

    /** The run's own directory; created on first use. */
    public Path workDir() throws IOException {
        return Files.createDirectories(workDir);
    }

    public <T> Optional<T> output(String stage, Class<T> type) {
        return outputs.of(stage, type);
    }

    /** The at-most-once ledger of this stage's remote side effects (a Hub commit, a chain commitment). */
    public EffectLedger effects() {
        return effects;
    }

    /** Long stages poll this between units of work and stop early when it turns true. */
    public boolean cancelRequested() {
        return cancelRequested.getAsBoolean();
    }

    /** Registers a file this stage produced; the runner records its size and SHA-256 with the outputs. */
    public Artifact artifact(String name, Path file) throws IOException {
        Artifact a = Artifact.of(name, file);
        artifacts.removeIf(x -> x.name().equals(name));
        artifacts.add(a);
        return a;
    }

    public List<Artifact> artifacts() {
        return List.copyOf(artifacts);
    }
}
