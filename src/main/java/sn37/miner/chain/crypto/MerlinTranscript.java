package sn37.miner.chain.crypto;

import java.nio.charset.StandardCharsets;

/**
 * A Merlin transcript (merlin.cool, crate merlin 3.x {@code src/transcript.rs}): labelled messages are
 * absorbed into STROBE-128, challenges are squeezed out of it, and the witness RNG mixes secret nonce
 * seeds and fresh randomness into a copy of the state.
 */
final class MerlinTranscript {
    private static final byte[] PROTOCOL_LABEL = ascii("Merlin v1.0");

    private final Strobe128 strobe;

    MerlinTranscript(String label) {
        strobe = new Strobe128(PROTOCOL_LABEL);
        appendMessage(ascii("dom-sep"), ascii(label));
    }

    private MerlinTranscript(Strobe128 strobe) {
        this.strobe = strobe;
    }

    MerlinTranscript copy() {
        return new MerlinTranscript(strobe.copy());
    }

    void appendMessage(String label, byte[] message) {
        appendMessage(ascii(label), message);
    }

    void appendMessage(byte[] label, byte[] message) {
        strobe.metaAd(label, false);
        strobe.metaAd(lengthU32(message.length), true);
        strobe.ad(message, false);
    }

    byte[] challengeBytes(String label, int length) {
        strobe.metaAd(ascii(label), false);
        strobe.metaAd(lengthU32(length), true);
        byte[] out = new byte[length];
        strobe.prf(out, false);
        return out;
    }

    /**
     * {@code build_rng().rekey_with_witness_bytes(label, witness).finalize(rng)} followed by
     * {@code fill_bytes}: output depends on the transcript so far, the secret witness and the 32
     * random bytes, and the transcript itself is left untouched.
     */
    byte[] witnessBytes(String label, byte[] witness, byte[] random32, int length) {
        Strobe128 rng = strobe.copy();
        try {
            rng.metaAd(ascii(label), false);
            rng.metaAd(lengthU32(witness.length), true);
            rng.key(witness, false);
            rng.metaAd(ascii("rng"), false);
            rng.key(random32, false);
            rng.metaAd(lengthU32(length), false);
            byte[] out = new byte[length];
            rng.prf(out, false);
            return out;
        } finally {
            rng.wipe();
        }
    }

    private static byte[] lengthU32(int length) {
        return new byte[] {(byte) length, (byte) (length >>> 8), (byte) (length >>> 16), (byte) (length >>> 24)};
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
