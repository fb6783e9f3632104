package sn37.miner.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;

/**
 * A tensor given as its raw bytes, written unchanged.
 *
 * @param bytes row-major little-endian elements, {@code product(shape) * dtype.byteSize()} bytes
 */
public record ByteTensor(String name, Dtype dtype, long[] shape, byte[] bytes) implements TensorData {

    public ByteTensor {
        shape = shape.clone();
        long expected = Math.multiplyExact(TensorInfo.elementCount(shape), dtype.byteSize());
        if (expected != bytes.length) {
            throw new IllegalArgumentException("tensor '" + name + "': " + dtype + " " + Arrays.toString(shape)
                    + " needs " + expected + " bytes but " + bytes.length + " were given");
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public void writeTo(WritableByteChannel out) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }
}
