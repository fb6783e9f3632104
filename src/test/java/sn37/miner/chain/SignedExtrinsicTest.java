package sn37.miner.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import sn37.miner.chain.crypto.Hashing;
import sn37.miner.chain.crypto.Sr25519;
import sn37.miner.chain.crypto.Sr25519Keypair;
import sn37.miner.chain.scale.Hex;
import sn37.miner.chain.scale.ScaleReader;

class SignedExtrinsicTest {
    private static final int SIGNATURE_OFFSET = 1 + 1 + 32 + 1; // after 0x84, MultiAddress::Id + key, MultiSignature tag

    private final SignedExtensions finney = SignedExtensions.fromMetadata(ChainFixtures.metadata(ChainFixtures.FINNEY_V14));

    @Test
    void extraAdditionalAndPayloadMatchEveryExtrinsicVector() {
        for (JsonNode v : ChainFixtures.vectors().get("extrinsics")) {
            TransactionParams params = params(v);
            byte[] call = ChainFixtures.hex(v.get("call_hex"));
            byte[] extra = finney.extra(params);
            byte[] additional = finney.additional(params);
            String label = v.get("label").asText();
            assertEquals(v.get("era_hex").asText(), Hex.encode(params.era().encode()), label);
            assertEquals(v.get("extra_hex").asText(), Hex.encode(extra), label);
            assertEquals(v.get("additional_signed_hex").asText(), Hex.encode(additional), label);
            byte[] payload = SignedExtrinsic.signingPayload(call, extra, additional);
            assertEquals(v.get("signing_payload_hex").asText(), Hex.encode(payload), label);
            assertEquals(v.get("signed_message_hex").asText(), Hex.encode(SignedExtrinsic.messageToSign(payload)), label);
        }
    }

    @Test
    void vectorSignaturesVerifyAndEncodeToTheVectorExtrinsics() {
        for (JsonNode v : ChainFixtures.vectors().get("extrinsics")) {
            byte[] publicKey = ChainFixtures.hex(v.get("signer_public_key"));
            byte[] signature = ChainFixtures.hex(v.get("signature"));
            assertTrue(Sr25519.verify(publicKey, ChainFixtures.hex(v.get("signed_message_hex")), signature));
            byte[] encoded = SignedExtrinsic.encode(publicKey, signature, ChainFixtures.hex(v.get("extra_hex")),
                    ChainFixtures.hex(v.get("call_hex")));
            assertEquals(v.get("signed_extrinsic_hex").asText(), Hex.encode(encoded), v.get("label").asText());
        }
    }

    @Test
    void javaSignedExtrinsicEqualsTheVectorApartFromItsValidSignature() {
        Sr25519Keypair signer = Sr25519Keypair.fromMiniSecret(
                ChainFixtures.hex(ChainFixtures.key("test-hotkey-1").get("mini_secret_seed")));
        for (JsonNode v : ChainFixtures.vectors().get("extrinsics")) {
            byte[] expected = ChainFixtures.hex(v.get("signed_extrinsic_hex"));
            byte[] actual = SignedExtrinsic.sign(signer, ChainFixtures.hex(v.get("call_hex")), finney, params(v));
            assertEquals(expected.length, actual.length);
            int body = bodyOffset(actual);
            int signatureStart = body + SIGNATURE_OFFSET;
            assertArrayEquals(Arrays.copyOfRange(expected, 0, signatureStart), Arrays.copyOfRange(actual, 0, signatureStart));
            assertArrayEquals(Arrays.copyOfRange(expected, signatureStart + 64, expected.length),
                    Arrays.copyOfRange(actual, signatureStart + 64, actual.length));
            byte[] signature = Arrays.copyOfRange(actual, signatureStart, signatureStart + 64);
            assertTrue(Sr25519.verify(signer.publicKey(), ChainFixtures.hex(v.get("signed_message_hex")), signature));
        }
    }

    @Test
    void payloadOver256BytesIsSignedByItsBlake2Hash() {
        byte[] payload = new byte[257];
        assertArrayEquals(Hashing.blake2_256(payload), SignedExtrinsic.messageToSign(payload));
        assertArrayEquals(new byte[256], SignedExtrinsic.messageToSign(new byte[256]));

        Sr25519Keypair signer = Sr25519Keypair.fromMiniSecret(new byte[32]);
        CommitmentInfo info = CommitmentInfo.of(Data.raw("a".repeat(128)), Data.raw("b".repeat(128)));
        byte[] call = SetCommitment.call(new sn37.miner.chain.runtime.CallIndex(18, 0), 37, info);
        TransactionParams params = TransactionParams.immortal(343, 1, new byte[32], 0);
        byte[] extrinsic = SignedExtrinsic.sign(signer, call, finney, params);
        byte[] signedPayload = SignedExtrinsic.signingPayload(call, finney.extra(params), finney.additional(params));
        int signatureStart = bodyOffset(extrinsic) + SIGNATURE_OFFSET;
        byte[] signature = Arrays.copyOfRange(extrinsic, signatureStart, signatureStart + 64);
        assertTrue(Sr25519.verify(signer.publicKey(), Hashing.blake2_256(signedPayload), signature));
        assertFalse(Sr25519.verify(signer.publicKey(), signedPayload, signature));
    }

    @Test
    void extrinsicTheRealRuntimeAcceptedIsRebuiltByteForByte() {
        JsonNode run = ChainFixtures.chopsticks();
        JsonNode commit = run.get("first_commit");
        SignedExtensions raonet = SignedExtensions.fromMetadata(ChainFixtures.metadata(ChainFixtures.RAONET_V14));
        TransactionParams params = TransactionParams.mortal(218, 1, ChainFixtures.hex(run.get("genesis_hash")),
                Era.mortal(64, 2), ChainFixtures.hex(commit.get("block_hash_signed_against")), 0);
        byte[] call = ChainFixtures.hex(commit.get("call_hex"));
        byte[] payload = SignedExtrinsic.signingPayload(call, raonet.extra(params), raonet.additional(params));
        assertEquals(commit.get("signing_payload_hex").asText(), Hex.encode(payload));

        byte[] accepted = ChainFixtures.hex(commit.get("signed_extrinsic_hex"));
        int signatureStart = bodyOffset(accepted) + SIGNATURE_OFFSET;
        byte[] signature = Arrays.copyOfRange(accepted, signatureStart, signatureStart + 64);
        byte[] signer = ChainFixtures.hex(run.get("signer").get("public_key"));
        assertTrue(Sr25519.verify(signer, payload, signature));
        assertArrayEquals(accepted, SignedExtrinsic.encode(signer, signature, raonet.extra(params), call));
    }

    @Test
    void secondCommitSignatureVerifiesOverAPayloadBornAtTheFirstCommitsBlock() {
        JsonNode run = ChainFixtures.chopsticks();
        byte[] accepted = ChainFixtures.hex(run.get("second_commit_same_epoch").get("signed_extrinsic_hex"));
        SignedExtensions raonet = SignedExtensions.fromMetadata(ChainFixtures.metadata(ChainFixtures.RAONET_V14));
        Era era = Era.mortal(64, 3);
        byte[] birthHash = ChainFixtures.hex(run.get("first_commit").get("watch").get("new_block_hash"));
        TransactionParams params = TransactionParams.mortal(218, 1, ChainFixtures.hex(run.get("genesis_hash")), era,
                birthHash, 1);
        byte[] call = SetCommitment.call(18, 0, 37, "again");
        int signatureStart = bodyOffset(accepted) + SIGNATURE_OFFSET;
        byte[] signature = Arrays.copyOfRange(accepted, signatureStart, signatureStart + 64);
        byte[] signer = ChainFixtures.hex(run.get("signer").get("public_key"));
        assertArrayEquals(accepted, SignedExtrinsic.encode(signer, signature, raonet.extra(params), call));
        assertTrue(Sr25519.verify(signer,
                SignedExtrinsic.signingPayload(call, raonet.extra(params), raonet.additional(params)), signature));

        byte[] rejected = ChainFixtures.hex(submittedAndRejectedWithBadProof(run));
        assertEquals(accepted.length, rejected.length);
        byte[] tampered = Arrays.copyOfRange(rejected, signatureStart, signatureStart + 64);
        assertFalse(Arrays.equals(signature, tampered));
        assertFalse(Sr25519.verify(signer,
                SignedExtrinsic.signingPayload(call, raonet.extra(params), raonet.additional(params)), tampered));
    }

    @Test
    void hashIsBlake2OfTheWholeEncodedExtrinsic() {
        byte[] encoded = ChainFixtures.hex(ChainFixtures.vectors().get("extrinsics").get(0).get("signed_extrinsic_hex"));
        assertArrayEquals(Hashing.blake2_256(encoded), SignedExtrinsic.hash(encoded));
    }

    // The frame whose reply was RPC error 1010 {"invalid":{"badProof":null}}.
    private static JsonNode submittedAndRejectedWithBadProof(JsonNode run) {
        int id = run.get("tampered_signature_submit_response").get("id").asInt();
        for (JsonNode frame : run.get("rpc_frames")) {
            JsonNode body = frame.get("frame");
            if (frame.get("dir").asText().equals("send") && body.path("id").asInt() == id) {
                return body.get("params").get(0);
            }
        }
        throw new AssertionError("no submitted frame with id " + id);
    }

    private static TransactionParams params(JsonNode v) {
        Era era = v.has("era_period")
                ? Era.mortal(v.get("era_period").asLong(), v.get("era_current_block").asLong())
                : Era.immortal();
        return new TransactionParams(v.get("spec_version").asInt(), v.get("transaction_version").asInt(),
                ChainFixtures.hex(v.get("genesis_hash")), era, ChainFixtures.hex(v.get("block_hash")),
                v.get("nonce").asLong(), v.get("tip").asLong());
    }

    // The extrinsic starts with its compact length; the body follows.
    private static int bodyOffset(byte[] extrinsic) {
        ScaleReader reader = new ScaleReader(extrinsic);
        int length = reader.compactInt("extrinsic length");
        assertEquals(extrinsic.length - reader.position(), length);
        assertEquals(0x84, extrinsic[reader.position()] & 0xFF);
        return reader.position();
    }
}
