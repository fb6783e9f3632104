package sn37.miner.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import sn37.miner.chain.scale.Hex;
import sn37.miner.chain.scale.ScaleException;
import sn37.miner.chain.scale.ScaleReader;

class EraTest {

    @Test
    void immortalEncodesAsOneZeroByte() {
        assertEquals("0x00", Hex.encode(Era.immortal().encode()));
        assertEquals(0, Era.immortal().birth(123));
    }

    @Test
    void mortalEraMatchesTheExtrinsicVectors() {
        assertEquals("0xb503", Hex.encode(Era.mortal(64, 4_000_123).encode()));
        assertEquals(4_000_123, Era.mortal(64, 4_000_123).birth(4_000_123));
        assertEquals("0x2500", Hex.encode(Era.mortal(64, 2).encode()));
        assertEquals("0x3500", Hex.encode(Era.mortal(64, 3).encode()));
    }

    @Test
    void periodIsRoundedUpToAPowerOfTwoBetween4And65536() {
        assertEquals(new Era.Mortal(4, 1), Era.mortal(1, 5));
        assertEquals(new Era.Mortal(64, 0), Era.mortal(50, 128));
        assertEquals(new Era.Mortal(128, 65), Era.mortal(65, 193));
        assertEquals(65536, ((Era.Mortal) Era.mortal(1_000_000, 7)).period());
    }

    @Test
    void longPeriodsQuantizeThePhase() {
        Era.Mortal era = (Era.Mortal) Era.mortal(8192, 12_345);
        assertEquals(4152, era.phase());
        assertEquals(era, Era.decode(new ScaleReader(era.encode())));
    }

    @Test
    void birthIsTheLatestBlockWithThePhaseNotAfterCurrent() {
        Era era = Era.mortal(64, 4_000_123);
        assertEquals(4_000_123, era.birth(4_000_150));
        assertEquals(4_000_187, era.birth(4_000_187));
    }

    @Test
    void decodeRoundTripsAndRejectsImpossibleEras() {
        for (long period : new long[] {4, 64, 256, 4096, 65536}) {
            Era era = Era.mortal(period, 9_999_999);
            assertEquals(era, Era.decode(new ScaleReader(era.encode())));
        }
        assertEquals(Era.immortal(), Era.decode(new ScaleReader(new byte[] {0})));
        ScaleException e = assertThrows(ScaleException.class, () -> Era.decode(new ScaleReader(Hex.decode("0xf0ff"))));
        assertEquals("mortal era at offset 0 encodes period 2 and phase 4095; expected period >= 4 and phase < period",
                e.getMessage());
    }
}
