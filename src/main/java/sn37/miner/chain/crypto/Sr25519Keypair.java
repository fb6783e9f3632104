package sn37.miner.chain.crypto;

import cafe.cryptography.curve25519.Constants;
import cafe.cryptography.curve25519.Scalar;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import sn37.miner.chain.scale.Hex;

/**
 * An sr25519 signing key (schnorrkel {@code SecretKey} plus its public key). {@link #toString()} shows
 * only the public key; the secret scalar and nonce never leave this object.
 */
public final class Sr25519Keypair {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Scalar key;
    private final byte[] nonce;
    private final byte[] publicKey;

    private Sr25519Keypair(Scalar key, byte[] nonce) {
        this.key = key;
        this.nonce = nonce;
        this.publicKey = Constants.RISTRETTO_GENERATOR_TABLE.multiply(key).compress().toByteArray();
    }

    /**
     * Expands a 32-byte mini secret (Substrate's "secret seed") the way Substrate does,
     * {@code MiniSecretKey::expand_to_keypair(ExpansionMode::Ed25519)}:
     * {@code h = SHA-512(seed)}, key = clamp(h[0..32]) / 8, nonce = h[32..64].
     */
    public static Sr25519Keypair fromMiniSecret(byte[] miniSecret) {
        Sr25519.requireLength("mini secret", miniSecret, 32);
        byte[] h = sha512(miniSecret);
        try {
            h[0] &= (byte) 248;
            h[31] &= 63;
            h[31] |= 64;
            return fromEd25519Bytes(h);
        } finally {
            Arrays.fill(h, (byte) 0);
        }
    }

    /**
     * Loads schnorrkel's 64-byte "ed25519 format" secret ({@code SecretKey::from_ed25519_bytes}):
     * a clamped scalar that is 8 times the signing scalar, then the 32-byte nonce.
     */
    public static Sr25519Keypair fromEd25519Bytes(byte[] secret) {
        Sr25519.requireLength("ed25519-format secret key", secret, 64);
        byte[] scalarBytes = Arrays.copyOfRange(secret, 0, 32);
        try {
            divideByCofactor(scalarBytes);
            Scalar key;
            try {
                key = Scalar.fromCanonicalBytes(scalarBytes);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "ed25519-format secret key: its first 32 bytes divided by 8 are not a canonical scalar");
            }
            return new Sr25519Keypair(key, Arrays.copyOfRange(secret, 32, 64));
        } finally {
            Arrays.fill(scalarBytes, (byte) 0);
        }
    }

    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** Signs under the {@code "substrate"} context; the 64-byte result differs on every call. */
    public byte[] sign(byte[] message) {
        return sign(Sr25519.SUBSTRATE_CONTEXT, message);
    }

    public byte[] sign(byte[] context, byte[] message) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        try {
            return sign(context, message, random);
        } finally {
            Arrays.fill(random, (byte) 0);
        }
    }

    /** schnorrkel {@code SecretKey::sign}, with the 32 bytes the witness RNG draws from the OS passed in. */
    byte[] sign(byte[] context, byte[] message, byte[] random32) {
        MerlinTranscript t = Sr25519.signingTranscript(context, message);
        t.appendMessage("proto-name", "Schnorr-sig".getBytes(StandardCharsets.US_ASCII));
        t.appendMessage("sign:pk", publicKey);
        byte[] wide = t.witnessBytes("signing", nonce, random32, 64);
        Scalar r = Scalar.fromBytesModOrderWide(wide);
        Arrays.fill(wide, (byte) 0);
        byte[] bigR = Constants.RISTRETTO_GENERATOR_TABLE.multiply(r).compress().toByteArray();
        t.appendMessage("sign:R", bigR);
        Scalar k = Scalar.fromBytesModOrderWide(t.challengeBytes("sign:c", 64));
        byte[] s = k.multiplyAndAdd(key, r).toByteArray();
        byte[] signature = new byte[Sr25519.SIGNATURE_BYTES];
        System.arraycopy(bigR, 0, signature, 0, 32);
        System.arraycopy(s, 0, signature, 32, 32);
        signature[63] |= (byte) 0x80;
        return signature;
    }

    @Override
    public String toString() {
        return "Sr25519Keypair[publicKey=" + Hex.encode(publicKey) + "]";
    }

    // schnorrkel keeps the scalar reduced mod l by dividing the clamped (multiple of 8) bytes by the cofactor.
    private static void divideByCofactor(byte[] scalar) {
        int low = 0;
        for (int i = 31; i >= 0; i--) {
            int b = scalar[i] & 0xFF;
            scalar[i] = (byte) ((b >>> 3) + low);
            low = (b & 0b111) << 5;
        }
    }

    private static byte[] sha512(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-512").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-512", e);
        }
    }
}
