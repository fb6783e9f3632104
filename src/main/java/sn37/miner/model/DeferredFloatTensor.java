package sn37.miner.model;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.util.function.Supplier;

/**
 * A {@link FloatTensor} whose values are produced only when it is written, e.g. copied from the device: a writer
 * going through a model's tensors holds one tensor's floats at a time, not the whole model's (28 GB for 7B).
 */
public record DeferredFloatTensor(String name, Dtype dtype, long[] shape, Supplier<float[]> values)
        implements TensorData {

    public DeferredFloatTensor {
        if (!dtype.holdsFloats()) {
            throw new IllegalArgumentException("tensor '" + name + "': float values can be stored as F32, F16 or BF16, not "
                    + dtype);
        }
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The values now, checked against the shape. */
    public FloatTensor materialize() {
        return new FloatTensor(name, dtype, shape, values.get());
    }

    @Override
    public void writeTo(WritableByteChannel out) throws IOException {
        materialize().writeTo(out);
    }
}
