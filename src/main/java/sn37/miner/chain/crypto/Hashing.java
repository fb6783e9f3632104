package sn37.miner.chain.crypto;

import net.openhft.hashing.LongHashFunction;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/** The hash functions Substrate uses for storage keys, SS58 checksums and long signing payloads. */
public final class Hashing {
    private static final LongHashFunction[] XX = {
            LongHashFunction.xx(0), LongHashFunction.xx(1), LongHashFunction.xx(2), LongHashFunction.xx(3)
    };

    private Hashing() {}

    /** xxHash64 with seed 0, little-endian (sp_core::hashing::twox_64). */
    public static byte[] twox64(byte[] data) {
        return twox(data, 1);
    }

    /** xxHash64 with seeds 0 and 1, each little-endian, concatenated. */
    public static byte[] twox128(byte[] data) {
        return twox(data, 2);
    }

    /** xxHash64 with seeds 0 to 3, each little-endian, concatenated. */
    public static byte[] twox256(byte[] data) {
        return twox(data, 4);
    }

    public static byte[] blake2_128(byte[] data) {
        return blake2b(16, data);
    }

    public static byte[] blake2_256(byte[] data) {
        return blake2b(32, data);
    }

    /** Unkeyed BLAKE2b with an output of {@code outputBytes} (1 to 64). */
    public static byte[] blake2b(int outputBytes, byte[]... parts) {
        Blake2bDigest digest = new Blake2bDigest(outputBytes * 8);
        for (byte[] part : parts) {
            digest.update(part, 0, part.length);
        }
        byte[] out = new byte[outputBytes];
        digest.doFinal(out, 0);
        return out;
    }

    private static byte[] twox(byte[] data, int seeds) {
        byte[] out = new byte[8 * seeds];
        for (int seed = 0; seed < seeds; seed++) {
            long hash = XX[seed].hashBytes(data);
            for (int i = 0; i < 8; i++) {
                out[8 * seed + i] = (byte) (hash >>> (8 * i));
            }
        }
        return out;
    }
}
