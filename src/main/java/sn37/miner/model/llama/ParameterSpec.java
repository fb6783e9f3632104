package sn37.miner.model.llama;

import java.util.Arrays;

/** A parameter's Hugging Face name and shape, e.g. {@code model.layers.0.self_attn.q_proj.weight (out, in)}. */
public record ParameterSpec(String name, long... shape) {

    public ParameterSpec {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long elementCount() {
        long count = 1;
        for (long dim : shape) {
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }

    @Override
    public String toString() {
        return name + " " + Arrays.toString(shape);
    }
}
