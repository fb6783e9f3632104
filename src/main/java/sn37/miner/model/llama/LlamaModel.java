package sn37.miner.model.llama;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code LlamaForCausalLM} / {@code MistralForCausalLM} of transformers written on DJL NDArrays,
 * float32 throughout: token embedding, per layer RMSNorm → grouped-query attention with rotary
 * embeddings (rotate-half layout) → residual → RMSNorm → SwiGLU MLP → residual, final RMSNorm, LM
 * head (tied to the embedding when the config says so). Parameters are keyed by their Hugging Face
 * names, so checkpoints load and save without a renaming table.
 *
 * <p>Memory rule (DJL): an op's result belongs to the manager of its first operand, so every op
 * here starts from an activation (created by the caller on a per-step sub-manager) and parameters
 * only ever come second; otherwise each step would leave arrays in the model's manager. Scalars
 * that autograd keeps for backward are created natively ({@code full}), never with
 * {@code mul(Number)}, whose Java buffer can be freed before backward reads it.
 */
public final class LlamaModel implements AutoCloseable {

    /** torch.finfo(torch.float32).min: the additive mask transformers uses. */
    static final float MASKED = -Float.MAX_VALUE;

    private final LlamaConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> parameters;
    private final float[] inverseFrequencies;
    private LoraAdapters lora;

    /**
     * @param manager owns the parameters and is closed with the model
     * @param parameters every {@link LlamaConfig#parameters()} entry, float32, in that order
     */
    LlamaModel(LlamaConfig config, NDManager manager, Map<String, NDArray> parameters) {
        this.config = config;
        this.manager = manager;
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        this.inverseFrequencies = config.rope().inverseFrequencies(config.headDim());
        for (ParameterSpec spec : config.parameters()) {
            NDArray array = parameters.get(spec.name());
            if (array == null || !array.getShape().equals(new Shape(spec.shape()))) {
                throw new IllegalArgumentException("parameter " + spec + " is missing or has shape "
                        + (array == null ? "none" : array.getShape()));
            }
        }
    }

    public LlamaConfig config() {
        return config;
    }

    /** The manager holding the parameters; per-step work belongs on a sub-manager of it. */
    public NDManager manager() {
        return manager;
    }

    public Device device() {
        return manager.getDevice();
    }

    /** Parameters by Hugging Face name, in {@code state_dict()} order. */
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    /**
     * Adds LoRA adapters of {@code rank} to every attention and MLP projection; from then on only
     * they train, and saving merges them into the weights. PEFT's {@code lora_alpha} is {@code alpha}.
     */
    public void addLora(int rank, double alpha, long seed) {
        if (lora != null) {
            throw new IllegalStateException("this model already has LoRA adapters of rank " + lora.rank());
        }
        lora = LoraAdapters.create(config, parameters, rank, alpha, seed, manager);
    }

    /** The adapters, if {@link #addLora} added them. */
    public java.util.Optional<LoraAdapters> lora() {
        return java.util.Optional.ofNullable(lora);
    }

    /** What the optimizer updates: the LoRA adapters when there are some, else every parameter. */
    public Map<String, NDArray> trainableParameters() {
        return lora != null ? lora.parameters() : parameters;
    }

    /** Makes autograd track (or stop tracking) the trainable parameters; base weights under LoRA stay frozen. */
    public void trainable(boolean trainable) {
        trainableParameters().values().forEach(p -> p.setRequiresGradient(trainable));
    }

    /** The weight as saved: with LoRA, {@code W + scaling · B A}; otherwise the parameter itself. */
    public float[] savedWeight(String name) {
        NDArray weight = parameters.get(name);
        float[] merged = lora == null ? null : lora.merged(name, weight);
        return merged != null ? merged : weight.toFloatArray();
    }

    /** Logits over the vocabulary, [B, T, vocab], for token ids [B, T] (int64, on this device). */
    public NDArray forward(NDArray ids) {
        return logits(hidden(ids));
    }

    /** The LM head on hidden states [..., hidden]: [..., vocab]. */
    public NDArray logits(NDArray hidden) {
        String head = config.tieWordEmbeddings() ? "model.embed_tokens.weight" : "lm_head.weight";
        return Linear.linear(hidden, parameters.get(head)).singletonOrThrow();
    }

    /** Hidden states after the final norm, [B, T, hidden], for token ids [B, T]. */
    public NDArray hidden(NDArray ids) {
        if (ids.getShape().dimension() != 2) {
            throw new IllegalArgumentException("token ids must be [batch, time], got " + ids.getShape());
        }
        NDManager scope = ids.getManager();
        int time = (int) ids.getShape().get(1);
        long[][] positions = {java.util.stream.LongStream.range(0, time).toArray()};
        NDArray[] rope = rotaryTables(scope, positions, new Shape(time, config.headDim()));
        return layers(ids, rope[0], rope[1], causalMask(scope, time), null);
    }

    /** A cache for {@link #hidden(NDArray, long[][], boolean[][], KvCache)}; the caller closes it. */
    public KvCache newCache() {
        return new KvCache(manager.newSubManager(), config.numLayers());
    }

    /**
     * Incremental decoding: runs only the new tokens, attending to the cached ones, and adds them
     * to the cache. Rows may start with padding (left padding, as batched generation does).
     *
     * @param ids new token ids [B, Tq]
     * @param positionIds their rotary positions [B][Tq] (for left padding transformers uses
     *     {@code attention_mask.cumsum(-1) - 1})
     * @param attended [B][Tq]: false for padding, which no position ever attends to
     * @return hidden states of the new tokens [B, Tq, hidden]
     */
    public NDArray hidden(NDArray ids, long[][] positionIds, boolean[][] attended, KvCache cache) {
        NDManager scope = ids.getManager();
        long batch = ids.getShape().get(0);
        int time = (int) ids.getShape().get(1);
        int past = cache.length();
        boolean[][] keys = cache.attendedWith(attended);
        NDArray[] rope = rotaryTables(scope, positionIds, new Shape(batch, 1, 1, time, config.headDim()));
        NDArray hidden = layers(ids, rope[0], rope[1], paddedMask(scope, keys, past, time), cache);
        cache.commit(keys);
        return hidden;
    }

    private NDArray layers(NDArray ids, NDArray cos, NDArray sin, NDArray mask, KvCache cache) {
        NDArray x = Embedding.embedding(ids, parameters.get("model.embed_tokens.weight"), SparseFormat.DENSE)
                .singletonOrThrow();
        for (int layer = 0; layer < config.numLayers(); layer++) {
            String prefix = "model.layers." + layer + ".";
            NDArray h = rmsNorm(x, parameters.get(prefix + "input_layernorm.weight"));
            x = x.add(attention(h, prefix + "self_attn.", cos, sin, mask, cache, layer));
            h = rmsNorm(x, parameters.get(prefix + "post_attention_layernorm.weight"));
            x = x.add(mlp(h, prefix + "mlp."));
        }
        return rmsNorm(x, parameters.get("model.norm.weight"));
    }

    /** transformers' LlamaRMSNorm: x / sqrt(mean(x²) + eps) * weight, over the last axis. */
    NDArray rmsNorm(NDArray x, NDArray weight) {
        NDArray variance = x.mul(x).mean(new int[] {-1}, true);
        // add(Number) is safe under autograd: its backward does not read the scalar.
        return x.div(variance.add(config.rmsNormEps()).sqrt()).mul(weight);
    }

    private NDArray attention(NDArray h, String prefix, NDArray cos, NDArray sin, NDArray mask, KvCache cache,
            int layer) {
        long batch = h.getShape().get(0);
        long time = h.getShape().get(1);
        int kv = config.numKvHeads();
        int groups = config.kvGroups();
        int dim = config.headDim();
        // Query heads h = g * groups + r share key/value head g (transformers' repeat_kv order):
        // q [B, KV, groups, T, D]; k and v [B, KV, 1, T, D] broadcast over the groups.
        NDArray q = project(h, prefix + "q_proj").reshape(batch, time, kv, groups, dim).transpose(0, 2, 3, 1, 4);
        NDArray k = project(h, prefix + "k_proj").reshape(batch, time, kv, 1, dim).transpose(0, 2, 3, 1, 4);
        NDArray v = project(h, prefix + "v_proj").reshape(batch, time, kv, 1, dim).transpose(0, 2, 3, 1, 4);
        q = rotate(q, cos, sin);
        k = rotate(k, cos, sin);
        if (cache != null) {
            NDArray[] all = cache.extend(layer, k, v);
            k = all[0];
            v = all[1];
        }
        NDArray scale = h.getManager().full(new Shape(), (float) (1.0 / Math.sqrt(dim)));
        // [B, KV, groups, Tq, Tk] each. Closing a wrapper early frees its memory unless autograd
        // still holds the tensor, so intermediates backward does not need go before backward runs.
        NDArray raw = q.matMul(k.transpose(0, 1, 2, 4, 3));
        NDArray scaled = raw.mul(scale);
        raw.close();
        NDArray masked = scaled.add(mask);
        scaled.close();
        NDArray probs = masked.softmax(-1);
        masked.close();
        NDArray out = probs.matMul(v);
        out = out.transpose(0, 3, 1, 2, 4).reshape(batch, time, (long) config.numHeads() * dim);
        return project(out, prefix + "o_proj");
    }

    /** x·cos + rotate_half(x)·sin, rotate_half(x) = cat(-x[..., D/2:], x[..., :D/2]). */
    static NDArray rotate(NDArray x, NDArray cos, NDArray sin) {
        int last = x.getShape().dimension() - 1;
        NDList halves = x.split(2, last);
        NDArray rotated = halves.get(1).neg().concat(halves.get(0), last);
        return x.mul(cos).add(rotated.mul(sin));
    }

    NDArray mlp(NDArray h, String prefix) {
        NDArray gate = project(h, prefix + "gate_proj");
        NDArray up = project(h, prefix + "up_proj");
        NDArray silu = gate.mul(Activation.sigmoid(gate));
        return project(silu.mul(up), prefix + "down_proj");
    }

    NDArray project(NDArray x, String name) {
        NDArray y = Linear.linear(x, parameters.get(name + ".weight"), parameters.get(name + ".bias")).singletonOrThrow();
        return lora == null ? y : lora.apply(name, x, y);
    }

    /** cos and sin of position × inverse frequency, [..., D] with the frequencies repeated, as in transformers. */
    NDArray[] rotaryTables(NDManager scope, long[][] positions, Shape shape) {
        int dim = config.headDim();
        int half = dim / 2;
        int count = positions.length * positions[0].length;
        float[] cos = new float[count * dim];
        float[] sin = new float[count * dim];
        int row = 0;
        for (long[] rowPositions : positions) {
            for (long position : rowPositions) {
                for (int i = 0; i < half; i++) {
                    // torch: inv_freq @ position_ids in float32, then cos and sin.
                    float angle = position * inverseFrequencies[i];
                    float c = (float) Math.cos(angle);
                    float s = (float) Math.sin(angle);
                    cos[row * dim + i] = c;
                    cos[row * dim + half + i] = c;
                    sin[row * dim + i] = s;
                    sin[row * dim + half + i] = s;
                }
                row++;
            }
        }
        return new NDArray[] {scope.create(cos, shape), scope.create(sin, shape)};
    }

    /**
     * Additive [B, 1, 1, Tq, Tk] mask for new queries at cache indices past..past+Tq-1: a key is
     * visible when it is not padding, not after the query, and within Mistral's window (counted in
     * cache indices, as transformers counts {@code cache_position}).
     */
    private NDArray paddedMask(NDManager scope, boolean[][] keys, int past, int time) {
        int batch = keys.length;
        int total = keys[0].length;
        boolean[] flat = new boolean[batch * total];
        for (int row = 0; row < batch; row++) {
            System.arraycopy(keys[row], 0, flat, row * total, total);
        }
        NDArray visible = scope.create(flat, new Shape(batch, 1, 1, 1, total));
        NDArray query = scope.arange(past, past + time, 1, DataType.INT64).reshape(time, 1);
        NDArray key = scope.arange(0, total, 1, DataType.INT64).reshape(1, total);
        NDArray allowed = key.lte(query);
        if (config.slidingWindow() > 0) {
            allowed = allowed.logicalAnd(key.gt(query.sub(config.slidingWindow())));
        }
        // A query whose keys are all hidden (a padding position) gets a uniform softmax, never NaN.
        return visible.logicalAnd(allowed).logicalNot().toType(DataType.FLOAT32, false)
                .mul(scope.full(new Shape(), MASKED));
    }

    /** Additive [T, T] mask: 0 where query i may see key j (j ≤ i, and within Mistral's window), else min. */
    private NDArray causalMask(NDManager scope, int time) {
        NDArray query = scope.arange(0, time, 1, DataType.INT64).reshape(time, 1);
        NDArray key = scope.arange(0, time, 1, DataType.INT64).reshape(1, time);
        NDArray hidden = key.gt(query);
        if (config.slidingWindow() > 0) {
            // transformers (Mistral): a key is visible when i - window < j <= i.
            hidden = hidden.logicalOr(key.lte(query.sub(config.slidingWindow())));
        }
        return hidden.toType(DataType.FLOAT32, false).mul(scope.full(new Shape(), MASKED));
    }

    /** The parameter names, in {@code state_dict()} order. */
    public List<String> parameterNames() {
        return List.copyOf(parameters.keySet());
    }

    @Override
    public void close() {
        manager.close();
    }
}
