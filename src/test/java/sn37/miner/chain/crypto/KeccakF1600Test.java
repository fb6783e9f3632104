package sn37.miner.chain.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.junit.jupiter.api.Test;

class KeccakF1600Test {

    @Test
    void permutationOfTheZeroStateMatchesTheKeccakTeamVector() {
        long[] lanes = new long[25];
        KeccakF1600.permute(lanes);
        // KeccakF-1600 intermediate values, first permutation of the all-zero state
        assertEquals(0xF1258F7940E1DDE7L, lanes[0]);
        assertEquals(0x84D5CCF933C0478AL, lanes[1]);
        assertEquals(0xEAF1FF7B5CECA249L, lanes[24]);
    }

    @Test
    void spongeOverThisPermutationEqualsBouncyCastleKeccak256() {
        for (int length : new int[] {0, 3, 135, 136, 137, 500}) {
            byte[] message = "x".repeat(length).getBytes(StandardCharsets.US_ASCII);
            KeccakDigest reference = new KeccakDigest(256);
            reference.update(message, 0, message.length);
            byte[] expected = new byte[32];
            reference.doFinal(expected, 0);
            assertArrayEquals(expected, keccak256(message), "length " + length);
        }
    }

    // Keccak-256 (rate 136, padding 0x01 ... 0x80) built on the permutation under test.
    private static byte[] keccak256(byte[] message) {
        int rate = 136;
        byte[] state = new byte[200];
        int padded = (message.length / rate + 1) * rate;
        byte[] input = new byte[padded];
        System.arraycopy(message, 0, input, 0, message.length);
        input[message.length] ^= 0x01;
        input[padded - 1] ^= (byte) 0x80;
        for (int block = 0; block < padded; block += rate) {
            for (int i = 0; i < rate; i++) {
                state[i] ^= input[block + i];
            }
            KeccakF1600.permute(state);
        }
        byte[] out = new byte[32];
        System.arraycopy(state, 0, out, 0, 32);
        return out;
    }
}
