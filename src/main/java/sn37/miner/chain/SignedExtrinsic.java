package sn37.miner.chain;

import java.util.Arrays;
import sn37.miner.chain.crypto.Hashing;
import sn37.miner.chain.crypto.Sr25519;
import sn37.miner.chain.crypto.Sr25519Keypair;
import sn37.miner.chain.scale.ScaleWriter;

/**
 * Version-4 signed extrinsics as sp_runtime {@code generic::UncheckedExtrinsic} encodes them, with
 * {@code MultiAddress::Id} and {@code MultiSignature::Sr25519}.
 */
public final class SignedExtrinsic {
    private static final int SIGNED_V4 = 0x84; // bit 7 = signed, low bits = extrinsic format version 4
    private static final int MULTI_ADDRESS_ID = 0x00;
    private static final int MULTI_SIGNATURE_SR25519 = 0x01;
    private static final int MAX_UNHASHED_PAYLOAD = 256;

    private SignedExtrinsic() {}

    /** {@code call ‖ extra ‖ additional}, the payload the signer commits to. */
    public static byte[] signingPayload(byte[] call, byte[] extra, byte[] additional) {
        byte[] out = Arrays.copyOf(call, call.length + extra.length + additional.length);
        System.arraycopy(extra, 0, out, call.length, extra.length);
        System.arraycopy(additional, 0, out, call.length + extra.length, additional.length);
        return out;
    }

    /** sp_runtime {@code SignedPayload::using_encoded}: payloads over 256 bytes are signed by their blake2-256 hash. */
    public static byte[] messageToSign(byte[] signingPayload) {
        return signingPayload.length > MAX_UNHASHED_PAYLOAD ? Hashing.blake2_256(signingPayload) : signingPayload.clone();
    }

    /** The length-prefixed extrinsic ready for {@code author_submitExtrinsic}. */
    public static byte[] encode(byte[] signerPublicKey, byte[] signature, byte[] extra, byte[] call) {
        if (signerPublicKey.length != Sr25519.PUBLIC_KEY_BYTES || signature.length != Sr25519.SIGNATURE_BYTES) {
            throw new IllegalArgumentException("signer public key must be 32 bytes and signature 64 bytes, got "
                    + signerPublicKey.length + " and " + signature.length);
        }
        byte[] body = new ScaleWriter()
                .u8(SIGNED_V4)
                .u8(MULTI_ADDRESS_ID)
                .raw(signerPublicKey)
                .u8(MULTI_SIGNATURE_SR25519)
                .raw(signature)
                .raw(extra)
                .raw(call)
                .toByteArray();
        return new ScaleWriter().bytes(body).toByteArray();
    }

    /** Builds, signs and encodes {@code call} from {@code signer} under the runtime's extensions. */
    public static byte[] sign(Sr25519Keypair signer, byte[] call, SignedExtensions extensions, TransactionParams params) {
        byte[] extra = extensions.extra(params);
        byte[] payload = signingPayload(call, extra, extensions.additional(params));
        byte[] signature = signer.sign(messageToSign(payload));
        return encode(signer.publicKey(), signature, extra, call);
    }

    /** The transaction hash nodes report: blake2-256 of the encoded extrinsic, length prefix included. */
    public static byte[] hash(byte[] encodedExtrinsic) {
        return Hashing.blake2_256(encodedExtrinsic);
    }
}
