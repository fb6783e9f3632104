package sn37.miner.train;

/**
 * Linear warm-up then cosine decay, as nanoGPT's {@code get_lr}: step s (0-based) of the warm-up
 * gets {@code peak * (s + 1) / (warmup + 1)}; afterwards the rate falls along half a cosine to
 * {@code minRatio * peak} at {@code total}. With no known total (train until stopped) it stays at
 * the peak after the warm-up.
 */
public record LearningRateSchedule(double peak, int warmup, int total, double minRatio) {

    public double at(int step) {
        if (step < warmup) {
            return peak * (step + 1) / (warmup + 1);
        }
        if (total <= 0) {
            return peak;
        }
        if (step >= total) {
            return peak * minRatio;
        }
        double progress = (double) (step - warmup) / Math.max(1, total - warmup);
        double min = peak * minRatio;
        return min + 0.5 * (1 + Math.cos(Math.PI * progress)) * (peak - min);
    }
}
