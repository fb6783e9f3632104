package sn37.miner.stage;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One report of how far a stage is: a training step, evaluation samples scored, bytes uploaded or downloaded.
 * Stored per run and served by {@code GET /api/runs/{id}/progress}; fields that do not apply are null and left out
 * of the JSON.
 *
 * @param unit what {@code done} and {@code total} count: {@link #STEP} (optimizer steps), {@link #SAMPLE}
 *     (evaluation samples of {@code task}) or {@link #BYTE} (bytes of {@code task}, the transfer)
 * @param total ≤ 0 when unknown (training until stopped)
 * @param task the evaluation task (SYNTHETIC_MMLU, ...) or what is transferred; null for training
 * @param loss the step's mean micro-batch loss
 * @param gradNorm global gradient norm before clipping
 * @param tokensPerSecond real tokens trained per second since this session of training started
 * @param etaSeconds seconds left at the rate seen so far in this stage; null until there is a rate
 */
public record ProgressEvent(String stage, String unit, long done, long total, String task, Integer epoch,
        Double loss, Double lr, Double gradNorm, Double tokensPerSecond, Double etaSeconds) {
    public static final String STEP = "step";
    public static final String SAMPLE = "sample";
    public static final String BYTE = "byte";

    public static ProgressEvent step(String stage, long step, long total, int epoch, double loss, double lr,
            double gradNorm, double tokensPerSecond) {
        return new ProgressEvent(stage, STEP, step, total, null, epoch, loss, lr, gradNorm, tokensPerSecond, null);
    }

    public static ProgressEvent samples(String stage, String task, long done, long total) {
        return new ProgressEvent(stage, SAMPLE, done, total, task, null, null, null, null, null, null);
    }

    public static ProgressEvent bytes(String stage, String what, long done, long total) {
        return new ProgressEvent(stage, BYTE, done, total, what, null, null, null, null, null, null);
    }

    public ProgressEvent withEta(Double seconds) {
        return new ProgressEvent(stage, unit, done, total, task, epoch, loss, lr, gradNorm, tokensPerSecond, seconds);
    }

    /** Training reports every step; the others report often and only their latest figure matters. */
    @JsonIgnore
    public boolean isStep() {
        return STEP.equals(unit);
    }

    @JsonIgnore
    public boolean isComplete() {
        return total > 0 && done >= total;
    }
}
