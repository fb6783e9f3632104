package sn37.miner.eval.validation;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import sn37.miner.model.Dtype;
import sn37.miner.model.HalfFloats;

/**
 * Σ x² over a tensor's little-endian elements, streamed: fed any number of byte chunks (an element may straddle
 * two), it keeps only the running sum, in double. Each element is first rounded to the dtype the validators load
 * the model in, since they take the norm of the loaded weights.
 */
final class SquareSum implements WritableByteChannel {

    private final Dtype stored;
    private final Dtype loaded;
    private final byte[] partial = new byte[4];
    private int partialLength;
    private double sum;
    private boolean open = true;

    SquareSum(Dtype stored, Dtype loaded) {
        if (!stored.holdsFloats()) {
            throw new IllegalArgumentException("a norm needs F32, F16 or BF16 elements, not " + stored);
        }
        this.stored = stored;
        this.loaded = loaded;
    }

    double sum() {
        if (partialLength != 0) throw new IllegalStateException(partialLength + " trailing bytes do not form an element");
        return sum;
    }

    @Override
    public int write(ByteBuffer src) {
        ByteBuffer in = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int n = in.remaining();
        int size = stored.byteSize();
        while (partialLength > 0 && in.hasRemaining()) {
            partial[partialLength++] = in.get();
            if (partialLength == size) {
                add(ByteBuffer.wrap(partial, 0, size).order(ByteOrder.LITTLE_ENDIAN));
                partialLength = 0;
            }
        }
        while (in.remaining() >= size) add(in);
        while (in.hasRemaining()) partial[partialLength++] = in.get();
        src.position(src.position() + n);
        return n;
    }

    private void add(ByteBuffer in) {
        float x = switch (stored) {
            case F32 -> in.getFloat();
            case BF16 -> HalfFloats.bf16ToF32(in.getShort());
            default -> HalfFloats.f16ToF32(in.getShort());
        };
        float v = load(x, loaded);
        sum += (double) v * v;
    }

    /** A value converted to {@code dtype} as {@code torch_dtype=...} loading does (round to nearest even). */
    static float load(float x, Dtype dtype) {
        return switch (dtype) {
            case BF16 -> HalfFloats.bf16ToF32(HalfFloats.f32ToBf16(x));
            case F16 -> HalfFloats.f16ToF32(HalfFloats.f32ToF16(x));
            default -> x;
        };
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }
}
