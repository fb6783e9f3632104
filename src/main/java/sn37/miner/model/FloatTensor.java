package sn37.miner.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;

/**
 * F32 values to be stored as F32, or narrowed to F16 or BF16 (round to nearest even) on write.
 *
 * @param values row-major elements, {@code product(shape)} of them; not copied, so large
 *     tensors are not held twice
 */
public record FloatTensor(String name, Dtype dtype, long[] shape, float[] values) implements TensorData {

    private static final int CHUNK_BYTES = 1 << 20;

    public FloatTensor {
        if (!dtype.holdsFloats()) {
            throw new IllegalArgumentException("tensor '" + name + "': float values can be stored as F32, F16 or BF16, not "
                    + dtype);
        }
        shape = shape.clone();
        if (TensorInfo.elementCount(shape) != values.length) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " holds "
                    + TensorInfo.elementCount(shape) + " elements but " + values.length + " values were given");
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public void writeTo(WritableByteChannel out) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            if (buffer.remaining() < 4) {
                drain(buffer, out);
            }
            switch (dtype) {
                case F32 -> buffer.putFloat(value);
                case BF16 -> buffer.putShort(HalfFloats.f32ToBf16(value));
                default -> buffer.putShort(HalfFloats.f32ToF16(value));
            }
        }
        drain(buffer, out);
    }

    private static void drain(ByteBuffer buffer, WritableByteChannel out) throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
        buffer.clear();
    }
}
