package sn37.miner.model;

/**
 * Conversions between F32 and the 16-bit float formats, on raw bits.
 *
 * <p>Widening is exact. Narrowing rounds to nearest, ties to even, as torch's {@code .to()} does.
 * NaN stays NaN and keeps its sign and the top bits of its payload, so that any 16-bit pattern
 * widened and narrowed again comes back unchanged (torch itself canonicalises NaN, to 0x7FC0
 * or 0xFFFF for BF16 depending on the code path, so NaN bits never match torch's anyway).
 * Java 17 has no {@code Float.float16ToFloat} (added in Java 20).
 */
public final class HalfFloats {

    private HalfFloats() {
    }

    /** BF16 is the upper half of an F32. */
    public static float bf16ToF32(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    public static short f32ToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7FFFFFFF) > 0x7F800000) {
            int upper = bits >>> 16;
            // Truncation could leave an all-zero payload, which would read as infinity.
            return (short) ((upper & 0x7F) == 0 ? upper | 0x40 : upper);
        }
        // Adding 0x7FFF plus the lowest kept bit carries into the kept half exactly when the
        // dropped half is above the midpoint, or at it with an odd kept half.
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }

    public static float f16ToF32(short bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // Subnormal (or zero): mantissa * 2^-24, exact in F32.
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 127 - 15) << 23) | (mantissa << 13));
    }

    public static short f32ToF16(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7FFFFFFF;
        if (abs >= 0x7F800000) {
            if (abs == 0x7F800000) {
                return (short) (sign | 0x7C00);
            }
            int payload = (abs >>> 13) & 0x3FF;
            return (short) (sign | 0x7C00 | (payload == 0 ? 0x200 : payload));
        }
        // 65520 is halfway between the largest F16 (65504, odd mantissa) and 65536: it and
        // everything above round to infinity.
        if (abs >= 0x477FF000) {
            return (short) (sign | 0x7C00);
        }
        if (abs >= 0x38800000) {
            // Normal F16 (>= 2^-14): rebias the exponent, round away 13 mantissa bits. A carry
            // out of the mantissa correctly bumps the exponent.
            int half = (((abs >>> 23) - 127 + 15) << 10) | ((abs >>> 13) & 0x3FF);
            return (short) (sign | roundHalfEven(half, abs & 0x1FFF, 13));
        }
        int exponent = abs >>> 23;
        if (exponent < 102) {
            // Below 2^-25, half the smallest subnormal: rounds to zero.
            return (short) sign;
        }
        // Subnormal F16: value / 2^-24 = significand * 2^(exponent - 126), shift is 14..24.
        int significand = (abs & 0x7FFFFF) | 0x800000;
        int shift = 126 - exponent;
        return (short) (sign | roundHalfEven(significand >>> shift, significand & ((1 << shift) - 1), shift));
    }

    private static int roundHalfEven(int kept, int dropped, int droppedBits) {
        int halfway = 1 << (droppedBits - 1);
        if (dropped > halfway || (dropped == halfway && (kept & 1) != 0)) {
            return kept + 1;
        }
        return kept;
    }
}
