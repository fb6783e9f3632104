package sn37.miner.model.llama;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

/**
 * {@link LlamaModel#hidden(NDArray)} for one long sequence without autograd, in query blocks, so that a 16k-token
 * evaluation never holds the [heads, T, T] attention scores. DJL 0.36 has no fused scaled-dot-product op (its
 * {@code ScaledDotProductAttentionBlock} is matMul + softmax), so each block of {@code n} queries does explicitly
 * what the full pass does: scores against the keys it can see (keys after the block's last query are all masked, so
 * they are left out, and so are keys before a sliding window), the full pass's additive mask where it hides some,
 * softmax, the value sum; then that block's o_proj, residual, norm and MLP, which are per position. The results
 * equal the full pass's within rounding (the matrix products have other shapes): 5e-6 on hidden states here.
 *
 * <p>Memory per layer: the layer's input, its normed copy, K and V, and the output blocks, each [T, hidden] or
 * smaller; plus, for one block at a time, the scores and the probabilities, each {@code heads × n × keys} float32,
 * at most {@link #scoreBytes} by {@link #queryBlock}, and the block's MLP activations, {@code n × intermediate}.
 * Each layer and each block runs on its own sub-manager, closed as soon as its output has been moved out, so native
 * memory is freed when a layer ends, not when the sequence does.
 */
final class BlockedForward {

    /**
     * Bound on one block's attention scores (and on its probabilities), bytes: 16 MiB on a CPU, where glibc's
     * malloc hands out anything over 32 MiB as fresh pages from mmap, to be zeroed again on every block (the logits
     * took 5× the CPU time in 64 MiB chunks here); 1 GiB on a GPU, where the caching allocator reuses memory and
     * fewer, larger kernels win.
     */
    static long scoreBytes(Device device) {
        return device.isGpu() ? 1L << 30 : 16L << 20;
    }

    private BlockedForward() {}

    /** Queries per block for a {@code time}-token sequence: heads × block × time float32 within the bound. */
    static int queryBlock(LlamaConfig config, int time, Device device) {
        long perQuery = (long) config.numHeads() * time * Float.BYTES;
        return (int) Math.max(1, Math.min(time, scoreBytes(device) / perQuery));
    }

    /**
     * Hidden states after the final norm, [T, hidden], on {@code scope}, for one sequence of token ids.
     *
     * @param block queries per attention block; {@code ids.length} or more is one block, the unblocked pass
     */
    static NDArray hidden(LlamaModel model, NDManager scope, long[] ids, int block) {
        if (block < 1) throw new IllegalArgumentException("the query block must be at least 1 (got " + block + ")");
        LlamaConfig config = model.config();
        int time = ids.length;
        NDArray[] rope = model.rotaryTables(scope, new long[][] {LongStream.range(0, time).toArray()},
                new Shape(time, config.headDim()));
        NDArray x = Embedding.embedding(scope.create(ids, new Shape(1, time)),
                model.parameters().get("model.embed_tokens.weight"), SparseFormat.DENSE).singletonOrThrow();
        for (int layer = 0; layer < config.numLayers(); layer++) {
            try (NDManager layerScope = scope.newSubManager()) {
                // The layer's input belongs to the layer now, so it is freed with the layer's work.
                x.attach(layerScope);
                NDArray next = layer(model, x, "model.layers." + layer + ".", rope[0], rope[1], block);
                next.attach(scope);
                x = next;
            }
        }
        return model.rmsNorm(x, model.parameters().get("model.norm.weight")).reshape(time, config.hiddenSize());
    }

    /** One decoder layer on x [1, T, hidden] (owned by the layer's manager): its output, on the same manager. */
    private static NDArray layer(LlamaModel model, NDArray x, String prefix, NDArray cos, NDArray sin, int block) {
        LlamaConfig config = model.config();
        NDManager layerScope = x.getManager();
        int time = (int) x.getShape().get(1);
        int kv = config.numKvHeads();
        int dim = config.headDim();
        String attn = prefix + "self_attn.";
        NDArray h = model.rmsNorm(x, model.parameters().get(prefix + "input_layernorm.weight"));
        // k and v [KV, T, D]: each KV head serves its query group in one batched product, no broadcast copies.
        NDArray k = LlamaModel.rotate(model.project(h, attn + "k_proj").reshape(time, kv, dim).transpose(1, 0, 2),
                cos, sin);
        NDArray v = model.project(h, attn + "v_proj").reshape(time, kv, dim).transpose(1, 0, 2);
        NDArray scale = layerScope.full(new Shape(), (float) (1.0 / Math.sqrt(dim)));
        List<NDArray> outputs = new ArrayList<>();
        for (int start = 0; start < time; start += block) {
            int end = Math.min(time, start + block);
            try (NDManager blockScope = layerScope.newSubManager()) {
                NDArray out = block(model, blockScope, x, h, k, v, cos, sin, scale, prefix, start, end);
                out.attach(layerScope);
                outputs.add(out);
            }
        }
        return outputs.size() == 1 ? outputs.get(0) : NDArrays.concat(new NDList(outputs), 1);
    }

    /** Positions start..end-1 of one layer: attention over the keys they see, o_proj, residual, norm, MLP, residual. */
    private static NDArray block(LlamaModel model, NDManager scope, NDArray x, NDArray h, NDArray k, NDArray v,
            NDArray cos, NDArray sin, NDArray scale, String prefix, int start, int end) {
        LlamaConfig config = model.config();
        int rows = end - start;
        int kv = config.numKvHeads();
        int groups = config.kvGroups();
        int dim = config.headDim();
        int window = config.slidingWindow();
        int first = window > 0 ? Math.max(0, start - window + 1) : 0;
        String attn = prefix + "self_attn.";
        NDIndex queries = new NDIndex(":, " + start + ":" + end);
        NDIndex keys = new NDIndex(":, " + first + ":" + end);
        NDIndex rope = new NDIndex(start + ":" + end);
        // q [KV, groups × n, D], rows ordered (r, t): query head g * groups + r uses KV head g (repeat_kv's order).
        // The scale goes on q (n × D values) rather than on the scores (n × keys); with a power-of-two head size
        // that is exact, otherwise it moves a score by an ulp.
        NDArray q = model.project(h.get(scope, queries), attn + "q_proj").reshape(rows, kv, groups, dim)
                .transpose(1, 2, 0, 3);
        q = LlamaModel.rotate(q, cos.get(scope, rope), sin.get(scope, rope)).mul(scale).reshape(kv, groups * rows, dim);
        // [KV, groups × n, keys]: the only quadratic tensors, within scoreBytes each.
        NDArray scores = q.matMul(k.get(scope, keys).transpose(0, 2, 1));
        // Keys before the block are all visible without a window, so only the n × n diagonal part is masked.
        int maskFrom = window > 0 ? first : start;
        NDIndex masked = new NDIndex(":, :, " + (maskFrom - first) + ":");
        scores.set(masked, scores.get(masked).add(mask(scope, config, start, end, maskFrom).tile(new long[] {groups, 1})));
        NDArray probs = scores.softmax(-1);
        scores.close();
        NDArray attended = probs.matMul(v.get(scope, keys));
        probs.close();
        attended = attended.reshape(kv, groups, rows, dim).transpose(2, 0, 1, 3).reshape(1, rows, (long) kv * groups * dim);
        NDArray residual = x.get(scope, queries).add(model.project(attended, attn + "o_proj"));
        NDArray normed = model.rmsNorm(residual, model.parameters().get(prefix + "post_attention_layernorm.weight"));
        return residual.add(model.mlp(normed, prefix + "mlp."));
    }

    /** Additive [n, keys] mask of queries start..end-1 over keys first..end-1, as LlamaModel's causal mask. */
    private static NDArray mask(NDManager scope, LlamaConfig config, int start, int end, int first) {
        NDArray query = scope.arange(start, end, 1, DataType.INT64).reshape(end - start, 1);
        NDArray key = scope.arange(first, end, 1, DataType.INT64).reshape(1, end - first);
        NDArray hidden = key.gt(query);
        if (config.slidingWindow() > 0) {
            hidden = hidden.logicalOr(key.lte(query.sub(config.slidingWindow())));
        }
        return hidden.toType(DataType.FLOAT32, false).mul(scope.full(new Shape(), LlamaModel.MASKED));
    }
}
