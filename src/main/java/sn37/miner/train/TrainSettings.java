package sn37.miner.train;

/**
 * The settings of one fine-tuning run. Optimiser defaults are torch.optim.AdamW's, with the
 * reference miner's weight decay 0.01 (finetuning {@code neurons/miner.py} @c9b3c093).
 *
 * @param numEpochs passes over the data; -1 trains until stopped (the reference's default)
 * @param maxSteps optimizer steps at most; -1 for no limit
 * @param checkpointEvery optimizer steps between checkpoints (one is also written on stop)
 * @param maxGradNorm global gradient norm clip (torch.nn.utils.clip_grad_norm_); 0 turns it off
 * @param warmupSteps linear warm-up from lr/(warmup+1) to lr, then cosine decay to
 *     {@code minLrRatio * lr} over the remaining steps when the total is known; -1 chooses 5 %
 *     of the total steps (at least 1), or 20 when training until stopped
 * @param sequenceLength tokens per example at most: the competition's sequence_length
 * @param keepCheckpoints complete checkpoints kept on disk, newest first (at least 1)
 */
public record TrainSettings(
        double lr,
        double weightDecay,
        double beta1,
        double beta2,
        double eps,
        int accumulationSteps,
        int batchSize,
        int numEpochs,
        int maxSteps,
        int checkpointEvery,
        long seed,
        double maxGradNorm,
        int warmupSteps,
        double minLrRatio,
        int sequenceLength,
        int keepCheckpoints) {

    public TrainSettings {
        require(lr > 0 && Double.isFinite(lr), "lr must be > 0, got " + lr);
        require(weightDecay >= 0, "weight decay must be >= 0, got " + weightDecay);
        require(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "betas must be in [0, 1)");
        require(eps > 0, "eps must be > 0");
        require(accumulationSteps >= 1, "accumulation steps must be >= 1, got " + accumulationSteps);
        require(batchSize >= 1, "batch size must be >= 1, got " + batchSize);
        require(numEpochs == -1 || numEpochs >= 1, "epochs must be -1 or >= 1, got " + numEpochs);
        require(maxSteps == -1 || maxSteps >= 1, "max steps must be -1 or >= 1, got " + maxSteps);
        require(checkpointEvery >= 1, "checkpoint interval must be >= 1, got " + checkpointEvery);
        require(maxGradNorm >= 0, "max grad norm must be >= 0");
        require(warmupSteps >= -1, "warm-up steps must be >= 0, or -1 for automatic");
        require(minLrRatio >= 0 && minLrRatio <= 1, "min lr ratio must be in [0, 1]");
        require(sequenceLength >= 2, "sequence length must be >= 2, got " + sequenceLength);
        require(keepCheckpoints >= 1, "keep at least one checkpoint");
    }

    /** AdamW(lr, weight_decay=0.01) with torch's betas and eps, clipping at 1.0, warm-up chosen from the run length. */
    public static TrainSettings of(double lr, int accumulationSteps, int batchSize, int numEpochs, int maxSteps,
            int checkpointEvery, long seed, int sequenceLength) {
        return new TrainSettings(lr, 0.01, 0.9, 0.999, 1e-8, accumulationSteps, batchSize, numEpochs, maxSteps,
                checkpointEvery, seed, 1.0, -1, 0.1, sequenceLength, 2);
    }

    /** The schedule for a run of {@code totalSteps} optimizer steps (0 when unknown). */
    public LearningRateSchedule schedule(int totalSteps) {
        int warmup = warmupSteps >= 0 ? warmupSteps : totalSteps > 0 ? Math.max(1, totalSteps / 20) : 20;
        return new LearningRateSchedule(lr, warmup, totalSteps, minLrRatio);
    }

    public TrainSettings withWarmupSteps(int steps) {
        return new TrainSettings(lr, weightDecay, beta1, beta2, eps, accumulationSteps, batchSize, numEpochs, maxSteps,
                checkpointEvery, seed, maxGradNorm, steps, minLrRatio, sequenceLength, keepCheckpoints);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
