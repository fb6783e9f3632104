package sn37.miner.train.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * A training set-up to plan memory for: the model, the tokens of one micro-batch, how many GPUs
 * share the work, and what the trainer does to save memory.
 *
 * @param sequenceLength tokens per example (padded length)
 * @param microBatch examples of one micro-batch (the job's batch_size); the trainer splits them over
 *     the processes, each taking ceil(microBatch / worldSize)
 * @param worldSize processes (one per GPU) that train together
 * @param loraRank 0 for a full fine-tune; otherwise adapters of this rank on {@link ModelShape#LORA_TARGETS}
 * @param fsdp FSDP2 full shard (per decoder layer, then the root): weights, gradients and optimizer
 *     state split over {@code worldSize}; without it each process holds everything
 * @param checkpointing activation checkpointing per decoder layer
 * @param lossTokens tokens of a process whose logits are formed at once; 0 for all of them, the worst
 *     case (the PyTorch trainer forms them from the first scored position on, the DJL trainer only at
 *     scored positions)
 */
public record PlanRequest(ModelShape model, int sequenceLength, int microBatch, int worldSize, int loraRank,
        boolean fsdp, boolean checkpointing, Precision precision, Backend backend, Device device, long lossTokens) {

    /** Which trainer runs the job. */
    public enum Backend {
        /** The PyTorch trainer under torchrun: SDPA attention (no T × T matrix), FSDP2, checkpointing, bf16. */
        TORCH,
        /** The embedded DJL trainer: float32, materialises [B, H, T, T] scores, no checkpointing or sharding. */
        DJL
    }

    public enum Precision {
        /** bf16 compute over float32 master weights, gradients and AdamW state. */
        BF16_MIXED(2),
        FP32(4);

        /** Bytes of one element of the compute dtype (activations, gathered weights). */
        public final int bytes;

        Precision(int bytes) {
            this.bytes = bytes;
        }
    }

    /** Where a process runs; it decides the fixed overhead. */
    public enum Device { CUDA, CPU }

    public PlanRequest {
        if (model == null || precision == null || backend == null || device == null) {
            throw new IllegalArgumentException("a plan needs a model shape, a precision, a backend and a device");
        }
        if (sequenceLength < 1 || microBatch < 1 || worldSize < 1 || loraRank < 0 || lossTokens < 0) {
            throw new IllegalArgumentException("a plan needs sequence length, micro-batch and world size >= 1, LoRA"
                    + " rank and loss tokens >= 0 (got " + sequenceLength + ", " + microBatch + ", " + worldSize
                    + ", " + loraRank + ", " + lossTokens + ")");
        }
        if (backend == Backend.DJL && (precision != Precision.FP32 || fsdp || checkpointing || worldSize != 1)) {
            throw new IllegalArgumentException("the DJL trainer trains in float32 in one process, without FSDP or"
                    + " activation checkpointing; plan bf16, FSDP or checkpointing with the PyTorch trainer");
        }
    }

    /** The PyTorch trainer's defaults: full fine-tune, bf16 mixed, FSDP, activation checkpointing, on CUDA. */
    public static PlanRequest torch(ModelShape model, int sequenceLength, int microBatch, int worldSize) {
        return new PlanRequest(model, sequenceLength, microBatch, worldSize, 0, true, true, Precision.BF16_MIXED,
                Backend.TORCH, Device.CUDA, 0);
    }

    /** The DJL trainer on one CUDA device: full fine-tune in float32. */
    public static PlanRequest djl(ModelShape model, int sequenceLength, int microBatch) {
        return new PlanRequest(model, sequenceLength, microBatch, 1, 0, false, false, Precision.FP32, Backend.DJL,
                Device.CUDA, 0);
    }

    public boolean lora() {
        return loraRank > 0;
    }

    /** Examples of a micro-batch that one process computes: ceil(B / W). */
    public int examplesPerProcess() {
        return (microBatch + worldSize - 1) / worldSize;
    }

    /** Tokens one process computes per micro-batch: ceil(B / W) × T. */
    public long tokens() {
        return (long) examplesPerProcess() * sequenceLength;
    }

    /** Rows that reach the LM head at once. */
    public long logitTokens() {
        return lossTokens == 0 ? tokens() : Math.min(lossTokens, tokens());
    }

    /** How many ways weights, gradients and optimizer state are split. */
    public int shards() {
        return fsdp ? worldSize : 1;
    }

    public PlanRequest withSequenceLength(int value) {
        return new PlanRequest(model, value, microBatch, worldSize, loraRank, fsdp, checkpointing, precision, backend,
                device, lossTokens);
    }

    public PlanRequest withMicroBatch(int value) {
        return new PlanRequest(model, sequenceLength, value, worldSize, loraRank, fsdp, checkpointing, precision,
                backend, device, lossTokens);
    }

    public PlanRequest withWorldSize(int value) {
        return new PlanRequest(model, sequenceLength, microBatch, value, loraRank, fsdp, checkpointing, precision,
                backend, device, lossTokens);
    }

    public PlanRequest withLoraRank(int value) {
        return new PlanRequest(model, sequenceLength, microBatch, worldSize, value, fsdp, checkpointing, precision,
                backend, device, lossTokens);
    }

    public PlanRequest withFsdp(boolean value) {
        return new PlanRequest(model, sequenceLength, microBatch, worldSize, loraRank, value, checkpointing,
                precision, backend, device, lossTokens);
    }

    public PlanRequest withCheckpointing(boolean value) {
        return new PlanRequest(model, sequenceLength, microBatch, worldSize, loraRank, fsdp, value, precision,
                backend, device, lossTokens);
    }

    public PlanRequest withPrecision(Precision value) {
        return new PlanRequest(model, sequenceLength, microBatch, worldSize, loraRank, fsdp, checkpointing, value,
                backend, device, lossTokens);
    }

    public PlanRequest withDevice(Device value) {
        return new PlanRequest(model, sequenceLength, microBatch, worldSize, loraRank, fsdp, checkpointing, precision,
                backend, value, lossTokens);
    }

    public PlanRequest withLossTokens(long value) {
        return new PlanRequest(model, sequenceLength, microBatch, worldSize, loraRank, fsdp, checkpointing, precision,
                backend, device, value);
    }

    /**
     * For example "full fine-tune, PyTorch trainer, bf16, FSDP over 4 GPUs, activation checkpointing,
     * micro-batch 1 × 16384 tokens".
     */
    public String describe() {
        List<String> parts = new ArrayList<>();
        parts.add(lora() ? "LoRA rank " + loraRank : "full fine-tune");
        parts.add(backend == Backend.TORCH ? "PyTorch trainer" : "DJL trainer");
        parts.add(precision == Precision.BF16_MIXED ? "bf16" : "float32");
        if (fsdp) {
            parts.add("FSDP over " + processes(worldSize));
        } else if (worldSize > 1) {
            parts.add("replicated on " + processes(worldSize));
        }
        parts.add(checkpointing ? "activation checkpointing" : "no activation checkpointing");
        parts.add("micro-batch " + microBatch + " × " + sequenceLength + " tokens");
        if (lossTokens > 0) {
            parts.add("logits of " + logitTokens() + " tokens at once");
        }
        return String.join(", ", parts);
    }

    /** "1 GPU", "4 GPUs", "2 processes". */
    String processes(int count) {
        String unit = device == Device.CUDA ? (count == 1 ? "GPU" : "GPUs") : (count == 1 ? "process" : "processes");
        return count + " " + unit;
    }
}
