package sn37.miner.chain.crypto;

import cafe.cryptography.curve25519.CompressedRistretto;
import cafe.cryptography.curve25519.Constants;
import cafe.cryptography.curve25519.InvalidEncodingException;
import cafe.cryptography.curve25519.RistrettoElement;
import cafe.cryptography.curve25519.Scalar;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Schnorr signatures over Ristretto255 exactly as schnorrkel 0.11 ({@code src/sign.rs},
 * {@code src/context.rs}) makes and checks them: the same transcript labels, the 64-byte wide
 * challenge, and the marker bit in the top of {@code s}.
 */
public final class Sr25519 {
    public static final int PUBLIC_KEY_BYTES = 32;
    public static final int SIGNATURE_BYTES = 64;
    /** The context Substrate signs extrinsics and messages under. */
    public static final byte[] SUBSTRATE_CONTEXT = "substrate".getBytes(StandardCharsets.US_ASCII);

    private Sr25519() {}

    /** Verifies under the {@code "substrate"} context. */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        return verify(SUBSTRATE_CONTEXT, publicKey, message, signature);
    }

    /**
     * True when {@code signature} is a valid schnorrkel signature of {@code message} by
     * {@code publicKey}. Any malformed key or signature content (not a Ristretto point, a missing
     * marker bit, a non-canonical {@code s}) is a failed verification, not an exception.
     */
    public static boolean verify(byte[] context, byte[] publicKey, byte[] message, byte[] signature) {
        requireLength("public key", publicKey, PUBLIC_KEY_BYTES);
        requireLength("signature", signature, SIGNATURE_BYTES);
        // schnorrkel Signature::from_bytes: signatures without the marker are not schnorrkel's.
        if ((signature[63] & 0x80) == 0) {
            return false;
        }
        byte[] rBytes = Arrays.copyOfRange(signature, 0, 32);
        byte[] sBytes = Arrays.copyOfRange(signature, 32, 64);
        sBytes[31] &= 0x7F;
        Scalar s;
        RistrettoElement a;
        try {
            s = Scalar.fromCanonicalBytes(sBytes);
            a = new CompressedRistretto(publicKey).decompress();
        } catch (IllegalArgumentException | InvalidEncodingException e) {
            return false;
        }
        MerlinTranscript t = signingTranscript(context, message);
        t.appendMessage("proto-name", "Schnorr-sig".getBytes(StandardCharsets.US_ASCII));
        t.appendMessage("sign:pk", publicKey);
        t.appendMessage("sign:R", rBytes);
        Scalar k = Scalar.fromBytesModOrderWide(t.challengeBytes("sign:c", 64));
        RistrettoElement expectedR = Constants.RISTRETTO_GENERATOR_TABLE.multiply(s).subtract(a.multiply(k));
        return MessageDigest.isEqual(expectedR.compress().toByteArray(), rBytes);
    }

    /** {@code signing_context(context).bytes(message)} (schnorrkel context.rs). */
    static MerlinTranscript signingTranscript(byte[] context, byte[] message) {
        MerlinTranscript t = new MerlinTranscript("SigningContext");
        t.appendMessage("", context);
        t.appendMessage("sign-bytes", message);
        return t;
    }

    static void requireLength(String what, byte[] bytes, int expected) {
        if (bytes == null || bytes.length != expected) {
            throw new IllegalArgumentException(what + " must be " + expected + " bytes, got "
                    + (bytes == null ? "null" : bytes.length + " bytes"));
        }
    }
}
