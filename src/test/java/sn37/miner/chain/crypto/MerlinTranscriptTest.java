package sn37.miner.chain.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import sn37.miner.chain.scale.Hex;

class MerlinTranscriptTest {

    // merlin's equivalence_simple; the same vector is published by the Go ports (gtank/merlin, curve25519-voi).
    @Test
    void simpleTranscriptMatchesTheMerlinVector() {
        MerlinTranscript t = new MerlinTranscript("test protocol");
        t.appendMessage("some label", bytes("some data"));
        assertEquals("0xd5a21972d0d5fe320c0d263fac7fffb8145aa640af6e9bca177c03c7efcf0615",
                Hex.encode(t.challengeBytes("challenge", 32)));
    }

    // TestComplexTranscript: crosses many STROBE blocks in both directions.
    @Test
    void complexTranscriptMatchesTheMerlinVector() {
        MerlinTranscript t = new MerlinTranscript("test protocol");
        t.appendMessage("step1", bytes("some data"));
        byte[] data = new byte[1024];
        Arrays.fill(data, (byte) 99);
        byte[] challenge = null;
        for (int i = 0; i < 32; i++) {
            challenge = t.challengeBytes("challenge", 32);
            t.appendMessage("bigdata", data);
            t.appendMessage("challengedata", challenge);
        }
        assertEquals("0xa8c933f54fae76e3f9bea93648c1308e7dfa2152dd51674ff3ca438351cf003c", Hex.encode(challenge));
    }

    @Test
    void copiesEvolveIndependently() {
        MerlinTranscript a = new MerlinTranscript("p");
        MerlinTranscript b = a.copy();
        a.appendMessage("l", bytes("x"));
        b.appendMessage("l", bytes("x"));
        assertArrayEquals(a.copy().challengeBytes("c", 16), b.copy().challengeBytes("c", 16));
        a.appendMessage("l", bytes("y"));
        assertFalse(Arrays.equals(a.challengeBytes("c", 16), b.challengeBytes("c", 16)));
    }

    @Test
    void witnessBytesDependOnWitnessAndRandomnessAndLeaveTheTranscriptAlone() {
        MerlinTranscript t = new MerlinTranscript("p");
        byte[] zero = new byte[32];
        byte[] one = new byte[32];
        one[0] = 1;
        byte[] base = t.witnessBytes("w", bytes("secret"), zero, 64);
        assertArrayEquals(base, t.witnessBytes("w", bytes("secret"), zero, 64));
        assertFalse(Arrays.equals(base, t.witnessBytes("w", bytes("secret"), one, 64)));
        assertFalse(Arrays.equals(base, t.witnessBytes("w", bytes("other"), zero, 64)));
        assertArrayEquals(new MerlinTranscript("p").challengeBytes("c", 8), t.challengeBytes("c", 8));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
