package sn37.miner.chain.crypto;

/**
 * The Keccak-f[1600] permutation (FIPS 202, section 3). BouncyCastle keeps its copy private inside
 * KeccakDigest, and STROBE needs the bare permutation.
 */
final class KeccakF1600 {
    private static final long[] ROUND_CONSTANTS = {
            0x0000000000000001L, 0x0000000000008082L, 0x800000000000808AL, 0x8000000080008000L,
            0x000000000000808BL, 0x0000000080000001L, 0x8000000080008081L, 0x8000000000008009L,
            0x000000000000008AL, 0x0000000000000088L, 0x0000000080008009L, 0x000000008000000AL,
            0x000000008000808BL, 0x800000000000008BL, 0x8000000000008089L, 0x8000000000008003L,
            0x8000000000008002L, 0x8000000000000080L, 0x000000000000800AL, 0x800000008000000AL,
            0x8000000080008081L, 0x8000000000008080L, 0x0000000080000001L, 0x8000000080008008L
    };
    // rho rotation and pi destination, walked along the pi cycle starting at lane 1
    private static final int[] RHO = {
            1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44
    };
    private static final int[] PI = {
            10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1
    };

    private KeccakF1600() {}

    /** Permutes a 200-byte state in place; lanes are little-endian 64-bit words. */
    static void permute(byte[] state) {
        long[] lanes = new long[25];
        for (int i = 0; i < 25; i++) {
            long lane = 0;
            for (int b = 0; b < 8; b++) {
                lane |= (long) (state[8 * i + b] & 0xFF) << (8 * b);
            }
            lanes[i] = lane;
        }
        permute(lanes);
        for (int i = 0; i < 25; i++) {
            for (int b = 0; b < 8; b++) {
                state[8 * i + b] = (byte) (lanes[i] >>> (8 * b));
            }
        }
    }

    static void permute(long[] a) {
        long[] c = new long[5];
        for (long roundConstant : ROUND_CONSTANTS) {
            for (int x = 0; x < 5; x++) {
                c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
            }
            for (int x = 0; x < 5; x++) {
                long d = c[(x + 4) % 5] ^ Long.rotateLeft(c[(x + 1) % 5], 1);
                for (int y = 0; y < 25; y += 5) {
                    a[y + x] ^= d;
                }
            }
            long carried = a[1];
            for (int i = 0; i < 24; i++) {
                int target = PI[i];
                long next = a[target];
                a[target] = Long.rotateLeft(carried, RHO[i]);
                carried = next;
            }
            for (int y = 0; y < 25; y += 5) {
                for (int x = 0; x < 5; x++) {
                    c[x] = a[y + x];
                }
                for (int x = 0; x < 5; x++) {
                    a[y + x] = c[x] ^ (~c[(x + 1) % 5] & c[(x + 2) % 5]);
                }
            }
            a[0] ^= roundConstant;
        }
    }
}
