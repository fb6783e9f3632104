package sn37.miner.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HalfFloatsTest {

    /** IEEE 754 binary16 from its definition, in double arithmetic (exact for every F16). */
    private static double f16Reference(int bits) {
        int sign = (bits >> 15) & 1;
        int exponent = (bits >> 10) & 0x1F;
        int fraction = bits & 0x3FF;
        double magnitude;
        if (exponent == 0x1F) {
            magnitude = fraction == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else if (exponent == 0) {
            magnitude = Math.scalb((double) fraction, -24);
        } else {
            magnitude = Math.scalb(1 + fraction / 1024.0, exponent - 15);
        }
        return sign == 1 ? -magnitude : magnitude;
    }

    /**
     * Positive finite F16 values in increasing order, index = bit pattern, then 65536 at the
     * index of infinity: rounding goes there as if the exponent range went on.
     */
    private static final double[] F16_VALUES = new double[0x7C01];

    static {
        for (int bits = 0; bits < 0x7C00; bits++) {
            F16_VALUES[bits] = f16Reference(bits);
        }
        F16_VALUES[0x7C00] = 65536;
    }

    /** Nearest F16 by search, ties to the even pattern, 65520 and up to infinity. */
    private static int f16Nearest(float value) {
        int sign = Float.floatToRawIntBits(value) < 0 ? 0x8000 : 0;
        double magnitude = Math.abs((double) value);
        if (magnitude >= 65520) {
            return sign | 0x7C00;
        }
        int at = Arrays.binarySearch(F16_VALUES, magnitude);
        if (at >= 0) {
            return sign | at;
        }
        int upper = -at - 1;
        int lower = upper - 1;
        double below = magnitude - F16_VALUES[lower];
        double above = F16_VALUES[upper] - magnitude;
        int nearest = below < above ? lower : above < below ? upper : ((lower & 1) == 0 ? lower : upper);
        return sign | nearest;
    }

    @Test
    void f16WideningIsExactForAll65536Patterns() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float widened = HalfFloats.f16ToF32((short) bits);
            double expected = f16Reference(bits);
            if (Double.isNaN(expected)) {
                assertTrue(Float.isNaN(widened), () -> "NaN pattern widened to a number");
                int floatBits = Float.floatToRawIntBits(widened);
                assertEquals(bits >> 15, floatBits >>> 31);
                assertEquals(bits & 0x3FF, (floatBits >>> 13) & 0x3FF, "NaN payload");
            } else {
                assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(widened),
                        "pattern 0x" + Integer.toHexString(bits));
            }
        }
    }

    @Test
    void f16NarrowingOfEveryWidenedPatternGivesItBack() {
        for (int bits = 0; bits < 0x10000; bits++) {
            assertEquals((short) bits, HalfFloats.f32ToF16(HalfFloats.f16ToF32((short) bits)),
                    "pattern 0x" + Integer.toHexString(bits));
        }
    }

    @Test
    void f16NarrowingRoundsToNearestEvenAcrossTheFloatRange() {
        // Every 4099th F32 pattern (about a million, all exponents) against the search above.
        for (long bits = 0; bits <= 0xFFFFFFFFL; bits += 4099) {
            float value = Float.intBitsToFloat((int) bits);
            if (Float.isNaN(value)) {
                assertTrue(Float.isNaN(HalfFloats.f16ToF32(HalfFloats.f32ToF16(value))));
                continue;
            }
            assertEquals(f16Nearest(value), HalfFloats.f32ToF16(value) & 0xFFFF, "F32 0x" + Long.toHexString(bits));
        }
    }

    @Test
    void f16NarrowingBreaksEveryTieTowardTheEvenPattern() {
        for (int lower = 0; lower < 0x7BFF; lower++) {
            float tie = (float) ((F16_VALUES[lower] + F16_VALUES[lower + 1]) / 2);
            int even = (lower & 1) == 0 ? lower : lower + 1;
            assertEquals(even, HalfFloats.f32ToF16(tie), "midpoint above 0x" + Integer.toHexString(lower));
            assertEquals(0x8000 | even, HalfFloats.f32ToF16(-tie) & 0xFFFF);
        }
        assertEquals(0x7BFF, HalfFloats.f32ToF16(65519.996f));
        assertEquals(0x7C00, HalfFloats.f32ToF16(65520f));
        assertEquals(0x0000, HalfFloats.f32ToF16(0x1p-25f));
        assertEquals(0x0001, HalfFloats.f32ToF16(Math.nextUp(0x1p-25f)));
        assertEquals(0x0002, HalfFloats.f32ToF16(0x1.8p-24f));
    }

    @Test
    void bf16WideningThenNarrowingGivesBackAll65536Patterns() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float widened = HalfFloats.bf16ToF32((short) bits);
            assertEquals(bits << 16, Float.floatToRawIntBits(widened));
            assertEquals((short) bits, HalfFloats.f32ToBf16(widened), "pattern 0x" + Integer.toHexString(bits));
        }
    }

    @Test
    void bf16NarrowingRoundsHalfToEven() {
        assertEquals(0x3F80, bf16(0x3F808000), "tie, even kept half stays");
        assertEquals(0x3F82, bf16(0x3F818000), "tie, odd kept half rounds up");
        assertEquals(0x3F81, bf16(0x3F808001), "just above the tie rounds up");
        assertEquals(0x3F80, bf16(0x3F807FFF), "just below the tie rounds down");
        assertEquals(0xBF80, bf16(0xBF808000), "negative tie");
        assertEquals(0xBF82, bf16(0xBF818000));
        assertEquals(0x7F80, bf16(0x7F7FFFFF), "largest float rounds to infinity");
        assertEquals(0x7F7F, bf16(0x7F7F7FFF));
        assertEquals(0x0000, bf16(0x00008000), "subnormal tie, even kept half stays");
        assertEquals(0x0002, bf16(0x00018000), "subnormal tie, odd kept half rounds up");
        assertEquals(0x8000, bf16(0x80000001), "-tiny rounds to -0");
    }

    @Test
    void bf16NarrowingKeepsNaNaNaN() {
        for (int bits : new int[] {0x7FC00000, 0xFFC00000, 0x7F800001, 0x7FFFFFFF, 0xFF800001}) {
            float nan = Float.intBitsToFloat(bits);
            assertTrue(Float.isNaN(HalfFloats.bf16ToF32(HalfFloats.f32ToBf16(nan))), Integer.toHexString(bits));
            assertEquals(bits >>> 31, (HalfFloats.f32ToBf16(nan) & 0xFFFF) >>> 15, "sign kept");
        }
        assertTrue(Float.isNaN(HalfFloats.f16ToF32(HalfFloats.f32ToF16(Float.intBitsToFloat(0x7F800001)))));
    }

    private static int bf16(int floatBits) {
        return HalfFloats.f32ToBf16(Float.intBitsToFloat(floatBits)) & 0xFFFF;
    }
}
