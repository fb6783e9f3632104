package sn37.miner.train.plan;

import java.util.Optional;
import sn37.miner.train.plan.PlanRequest.Backend;
import sn37.miner.train.plan.PlanRequest.Device;

/**
 * Estimates the memory of a training set-up before anything starts, and refuses one that cannot fit.
 *
 * <p>Notation: P parameters (L layers of P_layer each, P_root for embedding, final norm and head), P_t
 * trainable ones, W processes, S = W under FSDP else 1, e bytes of the compute dtype (2 for bf16, 4 for
 * float32), h hidden, q = heads × head_dim, k = kv_heads × head_dim, I intermediate, a heads, V vocab, r
 * LoRA rank, N = B × T tokens of a micro-batch.
 *
 * <p><b>Weights</b>: float32 master weights 4P/S. Under FSDP the compute copies are gathered per unit: the
 * root unit stays gathered from forward to its backward (FSDP2 does not reshard the root after forward)
 * and two decoder layers are gathered at a time (the current one and the prefetched next), so
 * + e × (P_root + 2 P_layer). Without FSDP, bf16 is autocast over float32 weights, and autocast keeps a
 * bf16 copy of every matrix a matmul reads until backward: + 2 × (L × layer matrices + V h).
 *
 * <p><b>Gradients</b>: float32, 4 P_t / S. Under FSDP the unsharded gradients being reduced add
 * e × (P_root,t + P_layer,t) (the LM head's gradient lives through all of backward). Without FSDP and
 * W &gt; 1, DDP-style reduction buckets double them. <b>Optimizer</b>: AdamW's exp_avg and exp_avg_sq,
 * 8 P_t / S. All three are added as if every gradient existed at the start of backward, which holds from
 * the second micro-batch of an accumulated step; with one micro-batch per step the real peak is lower.
 *
 * <p><b>Activations</b> follow the accounting of Korthikanti et al. 2022, "Reducing Activation
 * Recomputation in Large Transformer Models" (arXiv:2205.05198, §4.1), whose GPT layer keeps
 * s·b·h·(34 + 5·a·s/h) bytes in 16-bit: 34 s b h for the tensors backward reads, 5 a s² b for the
 * attention scores, their dropout mask and dropped-out probabilities. A Llama layer has no dropout, a
 * SwiGLU MLP of width I instead of GeLU over 4h, RMSNorm and grouped-query attention, so the same count
 * over transformers' {@code LlamaDecoderLayer} (5.18, read from {@code grad_fn._saved_*} of a real
 * forward) gives, per token of a layer, in bytes:
 * <pre>
 *   each RMSNorm   4h (its float32 input) + e h (its output) + e h (the normalised input, only when the
 *                  norm weight trains: not under LoRA)
 *   attention      e (2q + 2k) (rotated q and k, v, the output that o_proj reads) + 4a (SDPA's
 *                  log-sum-exp); no s² term: SDPA's flash kernel forms no T × T matrix
 *   MLP            4 e I (gate, SiLU(gate), up, their product)
 *   LoRA           7 r e (each adapter's A x)
 * </pre>
 * For the 3.2 B shape in bf16 that is 16h + 4q + 4k + 4a + 8I = 131,168 bytes, about 42.7 s b h against
 * the GPT layer's 34 (its MLP is narrower per h). Under autocast (bf16 without FSDP) the residual stream
 * stays float32: each norm keeps 4h + 4h and a bf16 cast per projection it feeds (3 × 2h, then 2 × 2h).
 * Without checkpointing all L layers keep this; with it each layer keeps only its input (e h; 4h under
 * autocast) and one layer's set is rebuilt during backward. Both add backward's working set,
 * e (2h + 3I) per token (the gradients flowing through one MLP), and the final norm (as one RMSNorm).
 *
 * <p>The DJL trainer keeps every forward intermediate until its micro-batch's NDManager closes (only
 * the raw scores are closed early), so it counts what {@code LlamaModel} creates, float32, per token of
 * a layer: 4 (10h + 7.5q + 6.5k + 5I) (norms x², x/rms, ·w; the rotary halves and sums; the
 * [B, KV, G, T, D] outputs and their reshaped copy; sigmoid, SiLU and product) + 4 a T for the
 * probabilities: Korthikanti's s² term, [B, H, T, T] in float32. LoRA adds 4 (7r + 3 (q + 2k + 2h + 2I))
 * (each adapter's A x, B A x, its scaling and the sum). The working set adds 8 a T per token (the
 * gradients of the probabilities and of the scores), and the additive causal mask 9 T² bytes (a
 * boolean, its float copy, its scaled copy).
 *
 * <p><b>Logits</b>, per row that reaches the LM head and per vocabulary entry: 12 bytes (the float32
 * log-probabilities that cross-entropy keeps, their gradient and the logits' gradient, alive together
 * in backward), + 2 in bf16 for the gradient's bf16 copy. The PyTorch trainer forms them from the first
 * scored position on and the DJL trainer only at scored positions; the plan counts all B T unless
 * {@link PlanRequest#lossTokens} says fewer.
 *
 * <p><b>Optimizer step</b>: torch's foreach AdamW (the default on CUDA) makes one float32 copy of every
 * local exp_avg_sq (4 P_t / S); on CPU, torch's single-tensor path and the DJL {@code AdamW} make a few
 * temporaries of the largest tensor (2 and 4 copies). It runs after backward has freed the activations
 * and logits, so the total takes the larger of the two.
 *
 * <p><b>Overhead</b>: on CUDA 1 GiB for the context, kernels and cuBLAS workspaces (a fresh torch
 * process shows 0.5 to 0.9 GiB in nvidia-smi on recent GPUs) and 5 % of the tensors for the caching
 * allocator's reserved-but-unallocated blocks; on CPU 0.5 GiB for the runtime (python, torch and
 * transformers measured 0.33 GiB RSS before the model loads, torch 2.13 and transformers 5.18).
 */
public final class MemoryPlanner {

    static final long GIB = 1L << 30;
    static final long CUDA_CONTEXT = GIB;
    static final double ALLOCATOR_SLACK = 0.05;
    static final long CPU_RUNTIME = GIB / 2;

    /** The longest sequence {@link #largestDjlSequenceLength} tries: 2^20 tokens. */
    static final int LONGEST_SEQUENCE = 1 << 20;

    private MemoryPlanner() {
    }

    public static MemoryPlan plan(PlanRequest request) {
        ModelShape m = request.model();
        long parameters = m.parameterCount();
        long adapters = request.lora() ? m.loraParameters(request.loraRank()) : 0;
        long trainable = request.lora() ? adapters : parameters;
        long weights = weights(request, parameters + adapters);
        long gradients = gradients(request, trainable);
        long optimizer = 8 * ceilDiv(trainable, request.shards());
        long activations = request.tokens() * activationBytesPerToken(request) + djlMask(request);
        long logits = request.logitTokens() * m.vocab() * (12L + (request.precision().bytes < 4 ? 2 : 0));
        long stepScratch = stepScratch(request, trainable);
        long tensors = weights + gradients + optimizer + Math.max(activations + logits, stepScratch);
        long overhead = request.device() == Device.CUDA
                ? CUDA_CONTEXT + (long) (ALLOCATOR_SLACK * tensors) : CPU_RUNTIME;
        return new MemoryPlan(request, parameters, trainable, weights, gradients, optimizer, activations, logits,
                stepScratch, overhead);
    }

    /**
     * Throws when the plan needs more than {@code deviceBytes}, naming the first of {@link Alternatives}
     * that fits, or saying that none does.
     */
    public static void check(MemoryPlan plan, long deviceBytes) {
        if (plan.total() <= deviceBytes) {
            return;
        }
        PlanRequest request = plan.request();
        String unit = request.device() == Device.CUDA ? "GPU" : "process";
        String head = "the plan (" + request.describe() + ") needs " + MemoryPlan.gib(plan.total()) + " GiB per "
                + unit + " (" + plan.breakdown() + ") but the " + unit + " has " + MemoryPlan.gib(deviceBytes)
                + " GiB: ";
        String least = null;
        long leastBytes = Long.MAX_VALUE;
        for (Alternatives.Alternative alternative : Alternatives.of(request)) {
            MemoryPlan candidate = plan(alternative.request());
            if (candidate.total() <= deviceBytes) {
                throw new PlanTooLargeException(head + alternative.change() + " fits in "
                        + MemoryPlan.gib(candidate.total()) + " GiB", plan, Optional.of(candidate));
            }
            if (candidate.total() < leastBytes) {
                least = alternative.change();
                leastBytes = candidate.total();
            }
        }
        String tried = least == null ? "" : " (the least tried, " + least + ", needs " + MemoryPlan.gib(leastBytes)
                + " GiB)";
        throw new PlanTooLargeException(head + "nothing fits" + tried + "; use GPUs with more memory or shorter"
                + " sequences", plan, Optional.empty());
    }

    /**
     * The longest power-of-two sequence length, at micro-batch 1, with which the DJL trainer fits in
     * {@code deviceBytes} on a CUDA device; 0 when not even 64 tokens fit.
     */
    public static int largestDjlSequenceLength(ModelShape model, int loraRank, long deviceBytes) {
        int best = 0;
        for (int length = 64; length <= LONGEST_SEQUENCE; length *= 2) {
            PlanRequest request = PlanRequest.djl(model, length, 1).withLoraRank(loraRank);
            if (plan(request).total() > deviceBytes) {
                break;
            }
            best = length;
        }
        return best;
    }

    private static long weights(PlanRequest r, long stored) {
        ModelShape m = r.model();
        int e = r.precision().bytes;
        long adapterLayer = r.lora() ? m.loraLayerParameters(r.loraRank()) : 0;
        long master = 4 * ceilDiv(stored, r.shards());
        if (r.backend() == Backend.TORCH && r.fsdp()) {
            return master + e * (m.rootParameters() + 2 * (m.layerParameters() + adapterLayer));
        }
        if (autocast(r)) {
            long matrices = m.layers() * (m.layerMatrixParameters() + adapterLayer) + (long) m.vocab() * m.hidden();
            return master + 2 * matrices;
        }
        return master;
    }

    private static long gradients(PlanRequest r, long trainable) {
        ModelShape m = r.model();
        long sharded = 4 * ceilDiv(trainable, r.shards());
        if (r.backend() == Backend.TORCH && r.fsdp()) {
            long root = r.lora() ? 0 : m.rootParameters();
            long layer = r.lora() ? m.loraLayerParameters(r.loraRank()) : m.layerParameters();
            return sharded + r.precision().bytes * (root + layer);
        }
        return r.worldSize() > 1 ? 2 * sharded : sharded;
    }

    /** Bytes per token of the micro-batch, over all layers, as the class comment counts them. */
    static long activationBytesPerToken(PlanRequest r) {
        ModelShape m = r.model();
        long h = m.hidden();
        long q = m.queryWidth();
        long k = m.kvWidth();
        long mlp = m.intermediate();
        long heads = m.heads();
        long rank = r.loraRank();
        if (r.backend() == Backend.DJL) {
            long layer = 2 * (20 * h + 15 * q + 13 * k + 10 * mlp) + 4 * heads * r.sequenceLength();
            if (r.lora()) {
                layer += 4 * (7 * rank + 3 * (q + 2 * k + 2 * h + 2 * mlp));
            }
            long scratch = 4 * (2 * h + 3 * mlp) + 8 * heads * r.sequenceLength();
            long outside = 4 * (h + 3 * h); // embedding output; final norm x², x/rms, ·w
            return m.layers() * layer + scratch + outside;
        }
        int e = r.precision().bytes;
        boolean autocast = autocast(r);
        long layer = norm(r, autocast ? 3 : 1) + norm(r, autocast ? 2 : 1)
                + e * (2 * q + 2 * k) + 4 * heads + 4 * e * mlp + 7 * rank * e;
        long scratch = e * (2 * h + 3 * mlp);
        long finalNorm = norm(r, 1);
        long kept = r.checkpointing() ? m.layers() * (autocast ? 4 : e) * h + layer : m.layers() * layer;
        return kept + scratch + finalNorm;
    }

    /** One RMSNorm's saved bytes per token; {@code feeds} projections read its output (autocast casts each). */
    private static long norm(PlanRequest r, int feeds) {
        long h = r.model().hidden();
        int e = r.precision().bytes;
        if (autocast(r)) {
            return 4 * h + (r.lora() ? 0 : 4 * h) + feeds * 2L * h;
        }
        return 4 * h + e * h + (r.lora() ? 0 : e * h);
    }

    private static long djlMask(PlanRequest r) {
        long t = r.sequenceLength();
        return r.backend() == Backend.DJL ? 9 * t * t : 0;
    }

    private static long stepScratch(PlanRequest r, long trainable) {
        ModelShape m = r.model();
        if (r.backend() == Backend.TORCH && r.device() == Device.CUDA) {
            return 4 * ceilDiv(trainable, r.shards());
        }
        long widest = Math.max(Math.max(m.hidden(), m.intermediate()), m.queryWidth());
        long largest = r.lora() ? r.loraRank() * widest : Math.max((long) m.vocab(), widest) * m.hidden();
        return (r.backend() == Backend.DJL ? 4 : 2) * 4 * largest;
    }

    /** bf16 without FSDP: the PyTorch trainer autocasts over float32 weights. */
    private static boolean autocast(PlanRequest r) {
        return r.backend() == Backend.TORCH && !r.fsdp() && r.precision().bytes < 4;
    }

    private static long ceilDiv(long value, int by) {
        return (value + by - 1) / by;
    }
}
