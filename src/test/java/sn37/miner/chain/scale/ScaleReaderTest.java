package sn37.miner.chain.scale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScaleReaderTest {

    @Test
    void readsWhatTheWriterWrote() {
        byte[] bytes = new ScaleWriter().u8(200).u16(65535).u32(0xFFFF_FFFFL).u64(-2L).bool(true)
                .compact(1_000_000_000_000L).bytes(new byte[] {9, 8}).string("héllo")
                .vec(List.of(5L, 6L), (w, v) -> w.u32(v)).option(Optional.of("x"), ScaleWriter::string)
                .toByteArray();
        ScaleReader in = new ScaleReader(bytes);
        assertEquals(200, in.u8());
        assertEquals(65535, in.u16());
        assertEquals(0xFFFF_FFFFL, in.u32());
        assertEquals(-2L, in.u64());
        assertTrue(in.bool());
        assertEquals(1_000_000_000_000L, in.compactLong());
        assertArrayEquals(new byte[] {9, 8}, in.byteVec());
        assertEquals("héllo", in.string());
        assertEquals(List.of(5L, 6L), in.vec(ScaleReader::u32));
        assertEquals(Optional.of("x"), in.option(ScaleReader::string));
        assertTrue(in.atEnd());
        in.expectEnd("test value");
    }

    @Test
    void truncatedInputNamesTheValueAndOffset() {
        ScaleReader in = new ScaleReader(new byte[] {1, 2, 3, 4, 5, 6});
        in.u16();
        ScaleException e = assertThrows(ScaleException.class, in::u64);
        assertEquals("truncated SCALE input: reading u64 at offset 2 needs 8 bytes but only 4 remain (input is 6 bytes)",
                e.getMessage());
    }

    @Test
    void vecOfBytesLongerThanTheInputIsRejectedBeforeAllocating() {
        ScaleReader in = new ScaleReader(Hex.decode("0x0300000040" + "00"));
        ScaleException e = assertThrows(ScaleException.class, in::byteVec);
        assertTrue(e.getMessage().contains("Vec<u8> at offset 0 declares 1073741824 bytes but only 1 remain"),
                e.getMessage());
    }

    @Test
    void nonCanonicalCompactIsRejected() {
        ScaleException e = assertThrows(ScaleException.class, () -> new ScaleReader(Hex.decode("0x0100")).compact());
        assertTrue(e.getMessage().contains("not canonical"), e.getMessage());
        assertThrows(ScaleException.class, () -> new ScaleReader(Hex.decode("0x03ffffff3f")).compact());
        assertThrows(ScaleException.class, () -> new ScaleReader(Hex.decode("0x07ffffffff00")).compact());
    }

    @Test
    void compactBigIntegerModeDecodesU128() {
        BigInteger u128Max = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
        assertEquals(u128Max, new ScaleReader(Hex.decode("0x33" + "ff".repeat(16))).compact());
        ScaleException e = assertThrows(ScaleException.class,
                () -> new ScaleReader(Hex.decode("0x33" + "ff".repeat(16))).compactLong());
        assertTrue(e.getMessage().contains("expected at most 2^63 - 1"), e.getMessage());
    }

    @Test
    void invalidBoolAndOptionTagsAreErrors() {
        assertEquals("bool at offset 0 is 2; expected 0 or 1",
                assertThrows(ScaleException.class, () -> new ScaleReader(new byte[] {2}).bool()).getMessage());
        assertEquals("Option tag at offset 0 is 5; expected 0 or 1",
                assertThrows(ScaleException.class, () -> new ScaleReader(new byte[] {5}).option(ScaleReader::u8))
                        .getMessage());
    }

    @Test
    void leftoverBytesFailExpectEnd() {
        ScaleReader in = new ScaleReader(new byte[] {1, 2});
        in.u8();
        assertFalse(in.atEnd());
        ScaleException e = assertThrows(ScaleException.class, () -> in.expectEnd("Thing"));
        assertTrue(e.getMessage().startsWith("Thing: 1 unread bytes after offset 1"), e.getMessage());
    }

    @Test
    void invalidUtf8StringIsAnError() {
        ScaleException e = assertThrows(ScaleException.class,
                () -> new ScaleReader(Hex.decode("0x08c328")).string());
        assertEquals("string at offset 0 is not valid UTF-8", e.getMessage());
    }

    @Test
    void consumedSinceCopiesTheSkippedRange() {
        ScaleReader in = new ScaleReader(new byte[] {1, 2, 3, 4});
        in.u8();
        int start = in.position();
        in.skip(2);
        assertArrayEquals(new byte[] {2, 3}, in.consumedSince(start));
    }

    @Test
    void hexAcceptsPrefixAndCaseAndRejectsOddLength() {
        assertArrayEquals(new byte[] {(byte) 0xAB, 0x01}, Hex.decode("0xAb01"));
        assertArrayEquals(new byte[] {(byte) 0xAB}, Hex.decode("ab"));
        assertThrows(IllegalArgumentException.class, () -> Hex.decode("0xabc"));
        assertThrows(IllegalArgumentException.class, () -> Hex.decode("0xzz"));
    }
}
