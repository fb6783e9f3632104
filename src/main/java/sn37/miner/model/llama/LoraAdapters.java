package sn37.miner.model.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Low-rank adapters (LoRA, Hu et al. 2021, as PEFT's {@code LoraLayer}) on every attention and MLP
 * projection: {@code W x + scaling · B (A x)} with A [rank, in] drawn as PEFT's
 * {@code kaiming_uniform_(a=√5)} (uniform in ±1/√in), B [out, rank] zero, so a fresh adapter leaves
 * the model unchanged. Only A and B train; {@link #merged} folds them into the base weights for
 * saving, so the saved directory is a plain model that transformers loads without PEFT.
 */
public final class LoraAdapters {

    static final List<String> PROJECTIONS =
            List.of("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj", "mlp.gate_proj",
                    "mlp.up_proj", "mlp.down_proj");

    /** One projection's pair; names end in {@code .lora_A.weight} and {@code .lora_B.weight}. */
    record Pair(NDArray a, NDArray b) {}

    private final int rank;
    private final float scaling;
    private final Map<String, Pair> pairs;

    private LoraAdapters(int rank, float scaling, Map<String, Pair> pairs) {
        this.rank = rank;
        this.scaling = scaling;
        this.pairs = Collections.unmodifiableMap(pairs);
    }

    /**
     * @param alpha PEFT's {@code lora_alpha}; the update is scaled by alpha / rank
     * @param manager owns the adapter weights (the model's)
     */
    static LoraAdapters create(LlamaConfig config, Map<String, NDArray> base, int rank, double alpha, long seed,
            NDManager manager) {
        if (rank < 1) {
            throw new IllegalArgumentException("LoRA rank must be >= 1, got " + rank);
        }
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Pair> pairs = new LinkedHashMap<>();
        try (NoGrad ignored = NoGrad.enter()) {
            for (int layer = 0; layer < config.numLayers(); layer++) {
                for (String projection : PROJECTIONS) {
                    String name = "model.layers." + layer + "." + projection;
                    Shape shape = base.get(name + ".weight").getShape();
                    long out = shape.get(0);
                    long in = shape.get(1);
                    float bound = (float) (1 / Math.sqrt(in));
                    float[] a = new float[Math.toIntExact(rank * in)];
                    for (int i = 0; i < a.length; i++) {
                        a[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
                    }
                    NDArray arrayA = manager.create(a, new Shape(rank, in));
                    NDArray arrayB = manager.zeros(new Shape(out, rank));
                    arrayA.setName(name + ".lora_A.weight");
                    arrayB.setName(name + ".lora_B.weight");
                    pairs.put(name, new Pair(arrayA, arrayB));
                }
            }
        }
        return new LoraAdapters(rank, (float) (alpha / rank), pairs);
    }

    public int rank() {
        return rank;
    }

    public float scaling() {
        return scaling;
    }

    /** The trainable arrays by name ({@code <projection>.lora_A.weight}, {@code .lora_B.weight}), in layer order. */
    public Map<String, NDArray> parameters() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        pairs.forEach((name, pair) -> {
            out.put(name + ".lora_A.weight", pair.a());
            out.put(name + ".lora_B.weight", pair.b());
        });
        return out;
    }

    /** {@code y + scaling · B (A x)} when {@code projection} has an adapter, else {@code y}. */
    NDArray apply(String projection, NDArray x, NDArray y) {
        Pair pair = pairs.get(projection);
        if (pair == null) {
            return y;
        }
        NDArray low = Linear.linear(Linear.linear(x, pair.a()).singletonOrThrow(), pair.b()).singletonOrThrow();
        // A natively owned scalar: autograd keeps it for backward (DJL's mul(Number) defect).
        return y.add(low.mul(x.getManager().full(new Shape(), scaling)));
    }

    /** {@code W + scaling · B A} as host floats when {@code weightName} has an adapter; null otherwise. */
    float[] merged(String weightName, NDArray weight) {
        if (!weightName.endsWith(".weight")) {
            return null;
        }
        Pair pair = pairs.get(weightName.substring(0, weightName.length() - ".weight".length()));
        if (pair == null) {
            return null;
        }
        try (NoGrad ignored = NoGrad.enter(); NDManager scope = weight.getManager().newSubManager()) {
            NDArray b = pair.b().duplicate();
            b.attach(scope);
            NDArray delta = b.matMul(pair.a()).muli(scaling);
            return delta.addi(weight).toFloatArray();
        }
    }
}
