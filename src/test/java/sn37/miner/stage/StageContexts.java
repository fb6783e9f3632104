package sn37.miner.stage;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import sn37.miner.metrics.MinerMetrics;
import sn37.miner.run.EffectRecords;

/**
 * StageContexts for stage tests, as the runner builds them. What a test does not name is empty: run "run-1",
 * attempt 1, no earlier outputs, never cancelled, no effects ledger, no progress or metrics listener.
 */
public final class StageContexts {
    private String runId = "run-1";
    private int attempt = 1;
    private final RunParams params;
    private final Path workDir;
    private StageContext.Outputs outputs = StageContexts::noOutputs;
    private BooleanSupplier cancel = () -> false;
    private EffectRecords effects;
    private Progress progress = Progress.NONE;
    private MinerMetrics metrics = MinerMetrics.NONE;

    private StageContexts(RunParams params, Path workDir) {
        this.params = params;
        this.workDir = workDir;
    }

    public static StageContexts of(RunParams params, Path workDir) {
        return new StageContexts(params, workDir);
    }

    private static <T> Optional<T> noOutputs(String stage, Class<T> type) {
        return Optional.empty();
    }

    public StageContexts run(String id, int attemptNumber) {
        this.runId = id;
        this.attempt = attemptNumber;
        return this;
    }

    public StageContexts outputs(StageContext.Outputs earlier) {
        this.outputs = earlier;
        return this;
    }

    public StageContexts cancel(BooleanSupplier requested) {
        this.cancel = requested;
        return this;
    }

    public StageContexts effects(EffectRecords ledger) {
        this.effects = ledger;
        return this;
    }

    public StageContexts progress(Progress listener) {
        this.progress = listener;
        return this;
    }

    public StageContexts metrics(MinerMetrics listener) {
        this.metrics = listener;
        return this;
    }

    public StageContext build() {
        return new StageContext(runId, attempt, params, workDir, outputs, cancel, effects, progress, metrics);
    }

    /** The gate with no chain: threshold mode, and beat-best with an explicit --current_block only. */
    public static Gate gateWithoutChain() {
        return new Gate(p -> {
            throw new StageException("--gate beat-best needs the current block: give --current_block, or run a"
                    + " gate that can read the chain");
        });
    }
}
