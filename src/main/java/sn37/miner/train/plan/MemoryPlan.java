package sn37.miner.train.plan;

import java.util.Locale;

/**
 * Bytes per GPU (or per CPU process) of one training set-up, by what holds them.
 *
 * @param parameters the base model's parameters
 * @param trainableParameters what the optimizer updates: all parameters, or the LoRA adapters
 * @param weights master weights (sharded under FSDP) plus the compute copies gathered or cast from them
 * @param gradients float32 gradients of the trainable parameters, plus the unsharded gradients FSDP is reducing
 * @param optimizer AdamW's two float32 moments per trainable parameter (sharded under FSDP)
 * @param activations what forward keeps for backward, plus backward's working set
 * @param logits the LM head's output, its float32 log-probabilities and their gradients
 * @param stepScratch temporaries of the optimizer step, which runs after activations and logits are freed
 * @param overhead runtime memory that no tensor accounts for (CUDA context, allocator slack; the Python
 *     or JVM runtime on CPU)
 */
public record MemoryPlan(PlanRequest request, long parameters, long trainableParameters, long weights, long gradients,
        long optimizer, long activations, long logits, long stepScratch, long overhead) {

    static final double GIB = 1L << 30;

    /** weights + gradients + optimizer + max(activations + logits, optimizer step) + overhead. */
    public long total() {
        return weights + gradients + optimizer + Math.max(activations + logits, stepScratch) + overhead;
    }

    /** "weights 12.8, gradients 12.8, optimizer 25.6, activations 18.0, logits 2.0, overhead 1.0" in GiB. */
    public String breakdown() {
        String text = "weights " + gib(weights) + ", gradients " + gib(gradients) + ", optimizer " + gib(optimizer)
                + ", activations " + gib(activations) + ", logits " + gib(logits);
        if (stepScratch > activations + logits) {
            text += ", optimizer step " + gib(stepScratch) + " once activations are freed";
        }
        return text + ", overhead " + gib(overhead);
    }

    /** Bytes as GiB with one decimal, for example "71.2". */
    public static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / GIB);
    }
}
