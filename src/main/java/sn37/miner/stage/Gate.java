package sn37.miner.stage;

import java.util.List;
import java.util.Optional;
import sn37.miner.eval.BeatBest;

/**
 * Decides whether the model may be published, exactly as the reference miner does: upload only if
 * {@code metric < --avg_loss_upload_threshold}, strictly, and a threshold of 0 means never
 * (neurons/miner.py @8e2b0cbb). The metric is lower-is-better: the evaluate stage's {@code metric} output,
 * or, for the gate run alone, an explicit {@code metric} parameter.
 */
public final class Gate implements Stage {
    /** What the gate decided, with the numbers it decided on. */
    public record Output(double metric, double threshold, boolean passed, String metricSource, String reason) {}

    /** Reads the chain's current block for a run (endpoint from its --subtensor flags). */
    @FunctionalInterface
    public interface BlockSource {
        long currentBlock(RunParams params);
    }

    private final BlockSource chain;

    public Gate(BlockSource chain) {
        this.chain = chain;
    }

    @Override
    public String name() {
        return StageNames.GATE;
    }

    @Override
    public List<String> requires(RunParams params) {
        return params.metric() != null ? List.of() : List.of(StageNames.EVALUATE);
    }

    @Override
    public String explicitInputs() {
        return "\"metric\" (a number, lower is better)";
    }

    @Override
    public Output run(StageContext ctx) {
        RunParams p = ctx.params();
        if (p.gate().equals("beat-best")) return beatBest(ctx, p);
        // Evaluate's result wins whenever this run has one: an explicit metric stands in only for a gate run alone,
        // so a stored pipeline run that carries one (accepted before the API refused it) cannot bypass evaluation.
        Optional<Evaluate.Output> eval = ctx.output(StageNames.EVALUATE, Evaluate.Output.class);
        if (eval.isPresent()) return decide(eval.get().metric(), p.avgLossUploadThreshold(), StageNames.EVALUATE);
        if (p.metric() == null) {
            throw new StageException("gate needs the evaluate stage's outputs, and this run has none");
        }
        return decide(p.metric(), p.avgLossUploadThreshold(), "parameter");
    }

    /**
     * Validators compare pairwise and give the earlier-committed model an ε advantage, so ours passes only if
     * {@code ours < incumbent × (1 − ε)} (eval.BeatBest); both scores come from the evaluate stage, on the same
     * samples.
     */
    private Output beatBest(StageContext ctx, RunParams p) {
        Evaluate.Output eval = ctx.output(StageNames.EVALUATE, Evaluate.Output.class)
                .orElseThrow(() -> new StageException("the beat-best gate needs the evaluate stage's outputs"));
        Double incumbent = eval.incumbentMetric();
        if (incumbent == null) {
            throw new StageException("the evaluate stage did not score the incumbent: run it with --gate beat-best");
        }
        long incumbentBlock = p.incumbentBlock() != null ? p.incumbentBlock()
                : ctx.output(StageNames.LOAD_MODEL, LoadModel.Output.class).map(LoadModel.Output::block)
                        .orElseThrow(() -> new StageException("--gate beat-best needs the incumbent's commit block:"
                                + " start from --load_best/--load_uid, or give --incumbent_block"));
        long current = p.currentBlock() != null ? p.currentBlock() : chain.currentBlock(p);
        BeatBest.Decision d = BeatBest.decide(eval.metric(), incumbent,
                LoadModel.constraints(p.competitionId()), current, incumbentBlock);
        return new Output(d.ours(), d.threshold(), d.passed(), "beat-best", d.reason());
    }

    static Output decide(double metric, double threshold, String source) {
        if (threshold == 0) {
            return new Output(metric, threshold, false, source,
                    "threshold is 0, which means never upload (set --avg_loss_upload_threshold above 0 to publish)");
        }
        if (Double.isNaN(metric)) {
            return new Output(metric, threshold, false, source, "metric is NaN: the evaluation is not usable");
        }
        if (metric < threshold) {
            return new Output(metric, threshold, true, source, "metric " + metric + " < threshold " + threshold);
        }
        return new Output(metric, threshold, false, source, "metric " + metric + " >= threshold " + threshold);
    }
}
