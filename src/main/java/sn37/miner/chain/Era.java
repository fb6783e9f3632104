package sn37.miner.chain;

import sn37.miner.chain.scale.ScaleException;
import sn37.miner.chain.scale.ScaleReader;

/**
 * A transaction's validity window (sp_runtime {@code generic::Era}). A mortal era is valid for
 * {@code period} blocks from its birth block, whose hash goes into the signed data.
 */
public sealed interface Era {

    byte[] encode();

    /** The first block of the window for a transaction built at {@code currentBlock}; 0 for immortal. */
    long birth(long currentBlock);

    static Era immortal() {
        return Immortal.INSTANCE;
    }

    /**
     * sp_runtime {@code Era::mortal}: the period is rounded up to a power of two in [4, 65536] and the
     * phase is {@code currentBlock % period}, quantized for periods above 4096.
     */
    static Era mortal(long period, long currentBlock) {
        if (period < 1 || currentBlock < 0) {
            throw new IllegalArgumentException("mortal era needs period >= 1 and block >= 0, got period " + period
                    + ", block " + currentBlock);
        }
        long rounded = period >= 1 << 16 ? 1 << 16 : Math.max(Long.highestOneBit(period - 1) << 1, 4);
        long phase = currentBlock % rounded;
        long quantizeFactor = Math.max(rounded >> 12, 1);
        return new Mortal(rounded, phase / quantizeFactor * quantizeFactor);
    }

    static Era decode(ScaleReader in) {
        int at = in.position();
        int first = in.u8();
        if (first == 0) {
            return immortal();
        }
        int encoded = first | in.u8() << 8;
        long period = 2L << (encoded & 0b1111);
        long quantizeFactor = Math.max(period >> 12, 1);
        long phase = (long) (encoded >> 4) * quantizeFactor;
        if (period < 4 || phase >= period) {
            throw new ScaleException("mortal era at offset " + at + " encodes period " + period + " and phase " + phase
                    + "; expected period >= 4 and phase < period");
        }
        return new Mortal(period, phase);
    }

    enum Immortal implements Era {
        INSTANCE;

        @Override
        public byte[] encode() {
            return new byte[] {0};
        }

        @Override
        public long birth(long currentBlock) {
            return 0;
        }
    }

    record Mortal(long period, long phase) implements Era {
        @Override
        public byte[] encode() {
            long quantizeFactor = Math.max(period >> 12, 1);
            int lowBits = (int) Math.min(15, Math.max(1, Long.numberOfTrailingZeros(period) - 1));
            int encoded = lowBits | (int) (phase / quantizeFactor) << 4;
            return new byte[] {(byte) encoded, (byte) (encoded >>> 8)};
        }

        @Override
        public long birth(long currentBlock) {
            return (Math.max(currentBlock, phase) - phase) / period * period + phase;
        }
    }
}
