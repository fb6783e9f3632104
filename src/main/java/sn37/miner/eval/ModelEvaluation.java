package sn37.miner.eval;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import sn37.miner.competition.Competition;
import sn37.miner.competition.EvalTask;
import sn37.miner.data.McSample;
import sn37.miner.data.ReasoningSample;
import sn37.miner.data.ReasoningTask;
import sn37.miner.model.LanguageModel;
import sn37.miner.model.PromptEncoder;

/**
 * Scores one model on a competition's tasks, the way the competition's validators do, with the data this miner
 * has: SYNTHETIC_MMLU on the run's SN1 samples ({@link MultipleChoice}), WORD_SORTING on samples generated from the
 * seed ({@link WordSorting}, {@link ReferenceLoss}), SYNTHETIC_1_SFT and CODEFORCES_COTS on the run's held-out
 * reasoning rows ({@link ReferenceLoss}). Tasks whose data this miner does not fetch (FINEWEB's fineweb-edu rows,
 * IF_EVAL), or a reasoning task without held-out rows, are reported as skipped with the reason and the composite is
 * renormalised over the rest, as validators do when a task's data fails to load; {@link TextLoss} is ready for
 * FINEWEB texts once a source provides them.
 */
public final class ModelEvaluation {

    /** How to evaluate: the competition (tasks, sequence length), precision, batching and the word-sorting seed. */
    public record Plan(Competition competition, EvalDtype dtype, int batchSize, BigInteger seed, int wordSortingSamples) {
        public Plan {
            if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
            if (wordSortingSamples < 1) {
                throw new IllegalArgumentException("word-sorting samples must be >= 1, got " + wordSortingSamples);
            }
        }
    }

    /** The composite and the multiple-choice details (null when the competition has no such task). */
    public record Report(CompositeScore.Result score, MultipleChoice.Result multipleChoice) {}

    public static final String MMLU = "SYNTHETIC_MMLU";
    public static final String WORD_SORTING = "WORD_SORTING";

    private ModelEvaluation() {}

    public static Report run(LanguageModel model, PromptEncoder encoder, List<McSample> samples, Plan plan,
            BooleanSupplier cancelled) {
        return run(model, encoder, samples, List.of(), plan, cancelled, EvalProgress.NONE);
    }

    /** @param reasoning the evaluation split of the competition-4 rows (both tasks) */
    public static Report run(LanguageModel model, PromptEncoder encoder, List<McSample> samples,
            List<ReasoningSample> reasoning, Plan plan, BooleanSupplier cancelled) {
        return run(model, encoder, samples, reasoning, plan, cancelled, EvalProgress.NONE);
    }

    public static Report run(LanguageModel model, PromptEncoder encoder, List<McSample> samples,
            List<ReasoningSample> reasoning, Plan plan, BooleanSupplier cancelled, EvalProgress progress) {
        return run(model, LossBackend.djl(model, plan.dtype()), encoder, samples, reasoning, plan, cancelled,
                progress);
    }

    /**
     * As above, with the loss tasks computed by {@code losses}; multiple choice (generation) is always scored on
     * {@code model}, and each task's {@link TaskScore#backend} says which one scored it.
     */
    public static Report run(LanguageModel model, LossBackend losses, PromptEncoder encoder, List<McSample> samples,
            List<ReasoningSample> reasoning, Plan plan, BooleanSupplier cancelled, EvalProgress progress) {
        int sequenceLength = plan.competition().constraints().sequenceLength();
        Map<String, CompositeScore.Raw> raws = new LinkedHashMap<>();
        MultipleChoice.Result mc = null;
        for (EvalTask task : plan.competition().tasks()) {
            switch (task.name()) {
                case MMLU -> {
                    if (samples.isEmpty()) {
                        raws.put(task.name(), CompositeScore.Raw.skipped(task.name() + " has no held-out evaluation"
                                + " questions: fetch-data held none out (fewer than two distinct questions); scored on"
                                + " the other tasks with renormalised weights"));
                        continue;
                    }
                    mc = MultipleChoice.run(model, encoder, samples, sequenceLength, plan.dtype(), plan.batchSize(),
                            cancelled, done -> progress.scored(task.name(), done, samples.size()));
                    raws.put(task.name(), CompositeScore.Raw.of(mc.deviation(), samples.size()));
                }
                case WORD_SORTING -> {
                    List<ReferenceLoss.Sample> sorting;
                    try {
                        sorting = ReferenceLoss.tokenize(WordSorting.samples(plan.seed(), plan.wordSortingSamples()),
                                encoder, sequenceLength);
                    } catch (RuntimeException e) {
                        raws.put(task.name(), CompositeScore.Raw.of(Double.POSITIVE_INFINITY, 0));
                        continue;
                    }
                    List<ReferenceLoss.Sample> scoring = sorting;
                    raws.put(task.name(), CompositeScore.Raw.of(losses.referenceLoss(task.name(), sorting,
                            done -> progress.scored(task.name(), done, scoring.size())), sorting.size(),
                            losses.name()));
                }
                case "SYNTHETIC_1_SFT", "CODEFORCES_COTS" -> {
                    ReasoningTask which = ReasoningTask.named(task.name());
                    List<ReasoningSample> rows = reasoning.stream().filter(r -> r.task() == which).toList();
                    if (rows.isEmpty()) {
                        raws.put(task.name(), CompositeScore.Raw.skipped(task.name() + " has no held-out evaluation"
                                + " rows: fetch-data kept none (see its drop reasons); scored on the other tasks"
                                + " with renormalised weights"));
                        continue;
                    }
                    List<ReferenceLoss.Sample> scoring = ReferenceLoss.tokenizeReasoning(rows, encoder);
                    raws.put(task.name(), CompositeScore.Raw.of(losses.referenceLoss(task.name(), scoring,
                            done -> progress.scored(task.name(), done, scoring.size())), rows.size(), losses.name()));
                }
                default -> raws.put(task.name(), CompositeScore.Raw.skipped(task.name()
                        + " data is not fetched by this miner; scored on the other tasks with renormalised weights"));
            }
        }
        return new Report(CompositeScore.combine(plan.competition().tasks(), raws), mc);
    }
}
