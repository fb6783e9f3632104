package sn37.miner.chain.scale;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/** Appends SCALE-encoded values (parity-scale-codec rules) to a growing buffer. */
public final class ScaleWriter {
    private static final BigInteger COMPACT_LIMIT = BigInteger.ONE.shiftLeft(536);

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public ScaleWriter u8(int value) {
        checkRange("u8", value, 0xFF);
        out.write(value);
        return this;
    }

    public ScaleWriter u16(int value) {
        checkRange("u16", value, 0xFFFF);
        return littleEndian(value, 2);
    }

    public ScaleWriter u32(long value) {
        checkRange("u32", value, 0xFFFF_FFFFL);
        return littleEndian(value, 4);
    }

    /** Writes the 64 bits of {@code value}; a negative long stands for a u64 above 2^63 - 1. */
    public ScaleWriter u64(long value) {
        return littleEndian(value, 8);
    }

    public ScaleWriter bool(boolean value) {
        out.write(value ? 1 : 0);
        return this;
    }

    public ScaleWriter compact(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("compact value must be >= 0, got " + value);
        }
        if (value < 1L << 6) {
            out.write((int) (value << 2));
        } else if (value < 1L << 14) {
            littleEndian((value << 2) | 0b01, 2);
        } else if (value < 1L << 30) {
            littleEndian((value << 2) | 0b10, 4);
        } else {
            compact(BigInteger.valueOf(value));
        }
        return this;
    }

    public ScaleWriter compact(BigInteger value) {
        if (value.signum() < 0 || value.compareTo(COMPACT_LIMIT) >= 0) {
            throw new IllegalArgumentException("compact value must be in [0, 2^536), got " + value);
        }
        if (value.bitLength() <= 30) {
            return compact(value.longValueExact());
        }
        // Big-integer mode: the low 2 bits are 0b11, the upper 6 bits hold (byte count - 4).
        int length = Math.max(4, (value.bitLength() + 7) / 8);
        out.write(((length - 4) << 2) | 0b11);
        byte[] bigEndian = value.toByteArray();
        for (int i = 0; i < length; i++) {
            int source = bigEndian.length - 1 - i;
            out.write(source >= 0 ? bigEndian[source] : 0);
        }
        return this;
    }

    /** Raw bytes with no length prefix (fixed-size arrays, already-encoded values). */
    public ScaleWriter raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    /** {@code Vec<u8>}: compact length, then the bytes. */
    public ScaleWriter bytes(byte[] bytes) {
        compact(bytes.length);
        return raw(bytes);
    }

    public ScaleWriter string(String value) {
        return bytes(value.getBytes(StandardCharsets.UTF_8));
    }

    public <T> ScaleWriter vec(List<T> items, BiConsumer<ScaleWriter, T> element) {
        compact(items.size());
        for (T item : items) {
            element.accept(this, item);
        }
        return this;
    }

    public <T> ScaleWriter option(Optional<T> value, BiConsumer<ScaleWriter, T> some) {
        if (value.isEmpty()) {
            out.write(0);
        } else {
            out.write(1);
            some.accept(this, value.get());
        }
        return this;
    }

    public int size() {
        return out.size();
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    private ScaleWriter littleEndian(long value, int length) {
        for (int i = 0; i < length; i++) {
            out.write((int) (value >>> (8 * i)) & 0xFF);
        }
        return this;
    }

    private static void checkRange(String type, long value, long max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(type + " value must be in [0, " + max + "], got " + value);
        }
    }
}
