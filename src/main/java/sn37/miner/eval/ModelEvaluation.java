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
import sn37.miner.eval.ifeval.IfEvalSamples;
import sn37.miner.model.LanguageModel;
import sn37.miner.model.PromptEncoder;

/**
 * Scores one model on a competition's tasks, the way the competition's validators do, with the data this miner
 * has: SYNTHETIC_MMLU on the run's SN1 samples ({@link MultipleChoice}), WORD_SORTING on samples generated from the
 * seed ({@link WordSorting}, {@link ReferenceLoss}), IF_EVAL_V2 on prompt pairs built from the same SN1 samples and
 * the seed ({@link IfEvalSamples}, {@link IfEval}), SYNTHETIC_1_SFT and CODEFORCES_COTS on the run's held-out
 * reasoning rows ({@link ReferenceLoss}), FINEWEB on the run's fineweb-edu texts ({@link TextLoss}). A task without
 * data (no held-out rows or texts, or IF_EVAL_V2 without two usable questions) is reported as skipped with the
 * reason and the composite is renormalised over the rest, as validators do when a task's data fails to load.
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
    public static final String IF_EVAL_V2 = "IF_EVAL_V2";
    public static final String FINEWEB = "FINEWEB";

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
        return run(model, LossBackend.djl(model, plan.dtype()), encoder, samples, reasoning, List.of(), plan,
                cancelled, progress);
    }

    /**
     * Every task, with the loss tasks computed by {@code losses}; multiple choice and IF_EVAL_V2 (generation) are
     * always scored on {@code model}, and each task's {@link TaskScore#backend} says which one scored it.
     *
     * @param fineweb the fineweb-edu texts fetch-data drew for FINEWEB
     */
    public static Report run(LanguageModel model, LossBackend losses, PromptEncoder encoder, List<McSample> samples,
            List<ReasoningSample> reasoning, List<String> fineweb, Plan plan, BooleanSupplier cancelled,
            EvalProgress progress) {
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
                case IF_EVAL_V2 -> {
                    List<IfEvalSamples.Sample> prompts = IfEvalSamples.build(samples, plan.seed(), IfEvalSamples.PAIRS);
                    if (prompts.isEmpty()) {
                        raws.put(task.name(), CompositeScore.Raw.skipped(task.name() + " has no question pairs:"
                                + " fewer than two of the first " + 2 * IfEvalSamples.PAIRS + " held-out questions"
                                + " parse to an answer of two or more words (in SN1's challenges the parser reads the"
                                + " one-shot example's one-word options, so validators' loader is empty too and they"
                                + " drop the task); scored on the other tasks with renormalised weights"));
                        continue;
                    }
                    IfEval.Result ifEval = IfEval.run(model, encoder, prompts, plan.dtype(), plan.batchSize(),
                            cancelled, done -> progress.scored(task.name(), done, prompts.size()));
                    raws.put(task.name(), CompositeScore.Raw.of(ifEval.score(), prompts.size()));
                }
                case FINEWEB -> {
                    if (fineweb.isEmpty()) {
                        raws.put(task.name(), CompositeScore.Raw.skipped(task.name() + " has no fineweb-edu texts:"
                                + " fetch-data drew none (see its fineweb output); scored on the other tasks with"
                                + " renormalised weights"));
                        continue;
                    }
                    List<int[]> texts = TextLoss.tokenize(fineweb, encoder, sequenceLength);
                    raws.put(task.name(), CompositeScore.Raw.of(losses.textLoss(task.name(), texts,
                            encoder.eosTokenId(), done -> progress.scored(task.name(), done, texts.size())),
                            texts.size(), losses.name()));
                }
                default -> raws.put(task.name(), CompositeScore.Raw.skipped(task.name()
                        + " data is not fetched by this miner; scored on the other tasks with renormalised weights"));
            }
        }
        return new Report(CompositeScore.combine(plan.competition().tasks(), raws), mc);
    }
}
