package sn37.miner.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sn37.miner.competition.EvalTask;

/**
 * A competition's score from its tasks' raw scores ({@code score_model}, finetune/validation.py @afd44037):
 * Σ weight × normalize(raw), lower is better. A task without a raw score (its data could not be had) is left
 * out and the remaining weights are renormalised to sum to 1, as validators do since b1aa598 (2025-03); with no
 * task scored at all the model cannot be scored: +∞.
 */
public final class CompositeScore {

    /** The composite and each task's part, in the competition's task order. */
    public record Result(double score, List<TaskScore> tasks) {}

    /** A task's raw score, sample count and the backend that computed it, or the reason it was not scored. */
    public record Raw(Double score, int samples, String skipped, String backend) {
        /** Scored by the DJL model of this process. */
        public static Raw of(double score, int samples) {
            return of(score, samples, "djl");
        }

        public static Raw of(double score, int samples, String backend) {
            return new Raw(score, samples, null, backend);
        }

        public static Raw skipped(String reason) {
            return new Raw(null, 0, reason, null);
        }
    }

    private CompositeScore() {}

    public static Result combine(List<EvalTask> tasks, Map<String, Raw> raws) {
        Map<String, Raw> byName = new LinkedHashMap<>(raws);
        double scoredWeight = 0;
        for (EvalTask t : tasks) {
            Raw r = byName.get(t.name());
            if (r != null && r.score() != null) scoredWeight += t.weight();
        }
        List<TaskScore> parts = new ArrayList<>();
        double score = 0;
        for (EvalTask t : tasks) {
            Raw r = byName.getOrDefault(t.name(), Raw.skipped("no raw score was computed for " + t.name()));
            if (r.score() == null) {
                parts.add(new TaskScore(t.name(), t.weight(), 0, null, null, null, 0, r.skipped(), null));
                continue;
            }
            double applied = Math.abs(scoredWeight - 1.0) <= 1e-9 ? t.weight() : t.weight() / scoredWeight;
            double normalized = t.normalize(r.score());
            double weighted = normalized * applied;
            score += weighted;
            parts.add(new TaskScore(t.name(), t.weight(), applied, r.score(), normalized, weighted, r.samples(), null,
                    r.backend()));
        }
        return new Result(scoredWeight > 0 ? score : Double.POSITIVE_INFINITY, List.copyOf(parts));
    }
}
