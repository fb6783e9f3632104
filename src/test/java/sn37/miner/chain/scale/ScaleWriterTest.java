package sn37.miner.chain.scale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScaleWriterTest {

    @Test
    void fixedWidthIntegersAreLittleEndian() {
        byte[] out = new ScaleWriter().u8(0x12).u16(0x3456).u32(0x789ABCDEL).u64(0x0102030405060708L).toByteArray();
        assertEquals("0x125634debc9a780807060504030201", Hex.encode(out));
    }

    @Test
    void u64WritesAllSixtyFourBits() {
        assertEquals("0xffffffffffffffff", Hex.encode(new ScaleWriter().u64(-1L).toByteArray()));
    }

    @Test
    void compactUsesTheShortestModeAtEachBoundary() {
        assertCompact(0, "0x00");
        assertCompact(1, "0x04");
        assertCompact(63, "0xfc");
        assertCompact(64, "0x0101");
        assertCompact(16383, "0xfdff");
        assertCompact(16384, "0x02000100");
        assertCompact((1L << 30) - 1, "0xfeffffff");
        assertCompact(1L << 30, "0x0300000040");
        assertCompact(0xFFFF_FFFFL, "0x03ffffffff");
        assertCompact(1L << 32, "0x070000000001");
        assertCompact(Long.MAX_VALUE, "0x13ffffffffffffff7f");
    }

    @Test
    void compactBigIntegerCoversU128AndAbove() {
        BigInteger u64Max = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        assertEquals("0x13ffffffffffffffff", Hex.encode(new ScaleWriter().compact(u64Max).toByteArray()));
        BigInteger u128Max = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
        assertEquals("0x33" + "ff".repeat(16), Hex.encode(new ScaleWriter().compact(u128Max).toByteArray()));
        BigInteger largest = BigInteger.ONE.shiftLeft(536).subtract(BigInteger.ONE);
        byte[] encoded = new ScaleWriter().compact(largest).toByteArray();
        assertEquals(68, encoded.length);
        assertEquals(0xFF, encoded[0] & 0xFF);
    }

    @Test
    void compactRejectsNegativeAndOversizedValues() {
        assertThrows(IllegalArgumentException.class, () -> new ScaleWriter().compact(-1));
        assertThrows(IllegalArgumentException.class, () -> new ScaleWriter().compact(BigInteger.ONE.shiftLeft(536)));
    }

    @Test
    void fixedWidthIntegersRejectValuesOutOfRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ScaleWriter().u16(65536));
        assertEquals("u16 value must be in [0, 65535], got 65536", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ScaleWriter().u8(-1));
        assertThrows(IllegalArgumentException.class, () -> new ScaleWriter().u32(1L << 32));
    }

    @Test
    void bytesStringVecOptionAndBoolFollowScaleLayout() {
        byte[] out = new ScaleWriter()
                .bytes(new byte[] {1, 2, 3})
                .string("abc")
                .vec(List.of(1, 2), (w, v) -> w.u16(v))
                .option(Optional.<Integer>empty(), (w, v) -> w.u8(v))
                .option(Optional.of(7), (w, v) -> w.u8(v))
                .bool(true)
                .bool(false)
                .raw(new byte[] {(byte) 0xAA})
                .toByteArray();
        assertEquals("0x0c0102030c616263080100020000010701" + "00aa", Hex.encode(out));
    }

    private static void assertCompact(long value, String hex) {
        byte[] encoded = new ScaleWriter().compact(value).toByteArray();
        assertEquals(hex, Hex.encode(encoded), "compact(" + value + ")");
        assertEquals(BigInteger.valueOf(value), new ScaleReader(encoded).compact(), "round trip of " + value);
        assertArrayEquals(encoded, new ScaleWriter().compact(BigInteger.valueOf(value)).toByteArray());
    }
}
