package sn37.miner.chain.scale;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Reads SCALE values from a byte array; every read is bounds-checked and errors name the value and offset. */
public final class ScaleReader {
    private final byte[] input;
    private int position;

    public ScaleReader(byte[] input) {
        this.input = input;
    }

    public int position() {
        return position;
    }

    public int remaining() {
        return input.length - position;
    }

    public boolean atEnd() {
        return position == input.length;
    }

    /** Fails when bytes are left over: the decoded value did not span the whole input. */
    public void expectEnd(String what) {
        if (!atEnd()) {
            throw new ScaleException(what + ": " + remaining() + " unread bytes after offset " + position
                    + " (input is " + input.length + " bytes); expected the value to end there");
        }
    }

    /** A copy of the bytes from {@code start} up to the current position, e.g. a value just skipped. */
    public byte[] consumedSince(int start) {
        if (start < 0 || start > position) {
            throw new IllegalArgumentException("start " + start + " must be in [0, " + position + "]");
        }
        return Arrays.copyOfRange(input, start, position);
    }

    public int u8() {
        need("u8", 1);
        return input[position++] & 0xFF;
    }

    public int u16() {
        return (int) littleEndian("u16", 2);
    }

    public long u32() {
        return littleEndian("u32", 4);
    }

    /** The 64 bits of a u64; values above 2^63 - 1 come back negative. */
    public long u64() {
        return littleEndian("u64", 8);
    }

    public boolean bool() {
        int at = position;
        int value = u8();
        if (value > 1) {
            throw new ScaleException("bool at offset " + at + " is " + value + "; expected 0 or 1");
        }
        return value == 1;
    }

    public byte[] bytes(int length) {
        return bytes("byte array", length);
    }

    public void skip(int length) {
        need("skipped bytes", length);
        position += length;
    }

    /** {@code Vec<u8>}: compact length, then the bytes. */
    public byte[] byteVec() {
        int at = position;
        int length = compactInt("Vec<u8> length");
        if (length > remaining()) {
            throw new ScaleException("truncated SCALE input: Vec<u8> at offset " + at + " declares " + length
                    + " bytes but only " + remaining() + " remain (input is " + input.length + " bytes)");
        }
        return bytes("Vec<u8>", length);
    }

    public String string() {
        int at = position;
        byte[] utf8 = byteVec();
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ScaleException("string at offset " + at + " is not valid UTF-8", e);
        }
    }

    public BigInteger compact() {
        int at = position;
        int first = u8();
        BigInteger value;
        BigInteger floor;
        switch (first & 0b11) {
            case 0b00 -> {
                return BigInteger.valueOf(first >>> 2);
            }
            case 0b01 -> {
                value = BigInteger.valueOf((first | littleEndian("compact", 1) << 8) >>> 2);
                floor = BigInteger.ONE.shiftLeft(6);
            }
            case 0b10 -> {
                value = BigInteger.valueOf(((first | littleEndian("compact", 3) << 8) & 0xFFFF_FFFFL) >>> 2);
                floor = BigInteger.ONE.shiftLeft(14);
            }
            default -> {
                int length = (first >>> 2) + 4;
                byte[] bigEndian = new byte[length + 1];
                byte[] littleEndian = bytes("compact", length);
                for (int i = 0; i < length; i++) {
                    bigEndian[length - i] = littleEndian[i];
                }
                value = new BigInteger(bigEndian);
                floor = BigInteger.ONE.shiftLeft(length == 4 ? 30 : 8 * (length - 1));
            }
        }
        // parity-scale-codec rejects a value that fits a shorter form.
        if (value.compareTo(floor) < 0) {
            throw new ScaleException("compact at offset " + at + " is not canonical: " + value
                    + " fits a shorter encoding");
        }
        return value;
    }

    public long compactLong() {
        int at = position;
        BigInteger value = compact();
        if (value.bitLength() > 63) {
            throw new ScaleException("compact at offset " + at + " is " + value + "; expected at most 2^63 - 1");
        }
        return value.longValue();
    }

    /** A compact used as a length, count or type id; it must fit an int. */
    public int compactInt(String what) {
        int at = position;
        BigInteger value = compact();
        if (value.bitLength() > 31) {
            throw new ScaleException(what + " at offset " + at + " is " + value + "; expected at most 2^31 - 1");
        }
        return value.intValue();
    }

    public <T> Optional<T> option(Function<ScaleReader, T> some) {
        int at = position;
        int tag = u8();
        return switch (tag) {
            case 0 -> Optional.empty();
            case 1 -> Optional.of(some.apply(this));
            default -> throw new ScaleException("Option tag at offset " + at + " is " + tag + "; expected 0 or 1");
        };
    }

    public <T> List<T> vec(Function<ScaleReader, T> element) {
        int count = compactInt("Vec length");
        List<T> items = new ArrayList<>(Math.min(count, remaining()));
        for (int i = 0; i < count; i++) {
            items.add(element.apply(this));
        }
        return items;
    }

    private byte[] bytes(String what, int length) {
        need(what, length);
        byte[] out = new byte[length];
        System.arraycopy(input, position, out, 0, length);
        position += length;
        return out;
    }

    private long littleEndian(String what, int length) {
        need(what, length);
        long value = 0;
        for (int i = 0; i < length; i++) {
            value |= (long) (input[position + i] & 0xFF) << (8 * i);
        }
        position += length;
        return value;
    }

    private void need(String what, int length) {
        if (length < 0 || length > remaining()) {
            throw new ScaleException("truncated SCALE input: reading " + what + " at offset " + position
                    + " needs " + length + " bytes but only " + remaining() + " remain (input is "
                    + input.length + " bytes)");
        }
    }
}
