package sn37.miner.eval;

/**
 * One eval task's part of the composite score ({@code ScoreDetails}, finetune/validation.py).
 *
 * @param weight the schedule's weight
 * @param appliedWeight the weight after renormalising over the tasks that were scored (0 when skipped)
 * @param raw lower is better; null when skipped
 * @param normalized {@code EvalTask.normalize(raw)}; null when skipped
 * @param weighted {@code normalized × appliedWeight}; null when skipped
 * @param samples how many samples the task was scored on
 * @param skipped why the task was not scored, or null
 * @param backend what computed {@code raw}: djl (this process's DJL model) or torch (transformers in bf16,
 *     {@code --eval_backend torch}); null when skipped, and in records written before backends were named (djl)
 */
public record TaskScore(
        String name, double weight, double appliedWeight, Double raw, Double normalized, Double weighted, int samples,
        String skipped, String backend) {}
