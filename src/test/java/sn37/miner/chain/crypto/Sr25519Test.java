package sn37.miner.chain.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.cryptography.curve25519.CompressedRistretto;
import cafe.cryptography.curve25519.Scalar;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import sn37.miner.chain.ChainFixtures;
import sn37.miner.chain.scale.Hex;

class Sr25519Test {
    private static final byte[] HELLO = "sn37 chain vector: hello".getBytes(StandardCharsets.UTF_8);

    @Test
    void publicKeyFromMiniSecretMatchesEveryKeyVector() {
        int checked = 0;
        for (JsonNode key : keysWithSeeds()) {
            checked++;
            Sr25519Keypair pair = Sr25519Keypair.fromMiniSecret(ChainFixtures.hex(key.get("mini_secret_seed")));
            assertEquals(key.get("public_key").asText(), Hex.encode(pair.publicKey()), key.get("name").asText());
        }
        assertEquals(3, checked);
    }

    @Test
    void miniSecretExpandsToTheEd25519FormatSecretOfTheVectors() throws Exception {
        for (JsonNode key : keysWithSeeds()) {
            byte[] seed = ChainFixtures.hex(key.get("mini_secret_seed"));
            byte[] expanded = ChainFixtures.hex(key.get("secret_key_64_ed25519_format"));
            byte[] h = MessageDigest.getInstance("SHA-512").digest(seed);
            h[0] &= (byte) 248;
            h[31] &= 63;
            h[31] |= 64;
            assertArrayEquals(expanded, h, "clamp(SHA-512(seed)[0..32]) ‖ SHA-512(seed)[32..64] for " + key.get("name"));

            // Same scalar and same nonce: with the same randomness both keys produce the same signature.
            Sr25519Keypair fromSeed = Sr25519Keypair.fromMiniSecret(seed);
            Sr25519Keypair fromExpanded = Sr25519Keypair.fromEd25519Bytes(expanded);
            byte[] random = new byte[32];
            assertArrayEquals(fromSeed.publicKey(), fromExpanded.publicKey());
            assertArrayEquals(fromSeed.sign(Sr25519.SUBSTRATE_CONTEXT, HELLO, random),
                    fromExpanded.sign(Sr25519.SUBSTRATE_CONTEXT, HELLO, random));
        }
    }

    @Test
    void everySignatureVectorVerifiesAsExpected() {
        JsonNode vectors = ChainFixtures.vectors().get("sr25519").get("vectors");
        assertEquals(16, vectors.size());
        for (JsonNode v : vectors) {
            boolean valid = Sr25519.verify(ChainFixtures.hex(v.get("public_key")), ChainFixtures.hex(v.get("message_hex")),
                    ChainFixtures.hex(v.get("signature")));
            assertEquals(v.get("expect_valid").asBoolean(), valid,
                    v.get("signer").asText() + " " + v.path("produced_by").asText(v.path("why").asText()));
        }
    }

    @Test
    void signatureFromJavaVerifiesWithSchnorrkelRules() {
        Sr25519Keypair pair = testKey();
        for (byte[] message : new byte[][] {HELLO, new byte[0], new byte[300]}) {
            byte[] signature = pair.sign(message);
            assertEquals(64, signature.length);
            assertEquals(0x80, signature[63] & 0x80, "schnorrkel marker bit");
            assertDoesNotThrow(() -> new CompressedRistretto(Arrays.copyOf(signature, 32)).decompress(), "R is a point");
            byte[] s = Arrays.copyOfRange(signature, 32, 64);
            s[31] &= 0x7F;
            assertDoesNotThrow(() -> Scalar.fromCanonicalBytes(s), "s is a canonical scalar");
            assertTrue(Sr25519.verify(pair.publicKey(), message, signature));
        }
    }

    @Test
    void signaturesAreRandomisedButAllValid() {
        Sr25519Keypair pair = testKey();
        byte[] first = pair.sign(HELLO);
        byte[] second = pair.sign(HELLO);
        assertFalse(Arrays.equals(first, second));
        assertTrue(Sr25519.verify(pair.publicKey(), HELLO, first));
        assertTrue(Sr25519.verify(pair.publicKey(), HELLO, second));
    }

    @Test
    void signatureFailsForAnotherMessageKeyOrContext() {
        Sr25519Keypair pair = testKey();
        byte[] signature = pair.sign(HELLO);
        byte[] alice = ChainFixtures.hex(ChainFixtures.key("alice").get("public_key"));
        assertFalse(Sr25519.verify(pair.publicKey(), "other".getBytes(StandardCharsets.UTF_8), signature));
        assertFalse(Sr25519.verify(alice, HELLO, signature));
        assertFalse(Sr25519.verify("polkadot".getBytes(StandardCharsets.US_ASCII), pair.publicKey(), HELLO, signature));
    }

    @Test
    void tamperedOrMalformedSignaturesAreInvalidNotErrors() {
        Sr25519Keypair pair = testKey();
        byte[] signature = pair.sign(HELLO);
        byte[] unmarked = signature.clone();
        unmarked[63] &= 0x7F;
        assertFalse(Sr25519.verify(pair.publicKey(), HELLO, unmarked));
        byte[] nonCanonicalS = signature.clone();
        Arrays.fill(nonCanonicalS, 32, 64, (byte) 0xFF);
        assertFalse(Sr25519.verify(pair.publicKey(), HELLO, nonCanonicalS));
        byte[] notAPoint = new byte[32];
        Arrays.fill(notAPoint, (byte) 0xFF);
        assertFalse(Sr25519.verify(notAPoint, HELLO, signature));
    }

    @Test
    void wrongLengthsAreArgumentErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sr25519.verify(new byte[32], HELLO, new byte[63]));
        assertEquals("signature must be 64 bytes, got 63 bytes", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sr25519Keypair.fromMiniSecret(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> Sr25519Keypair.fromEd25519Bytes(new byte[32]));
    }

    @Test
    void keypairToStringShowsOnlyThePublicKey() {
        JsonNode key = ChainFixtures.key("test-hotkey-1");
        String text = testKey().toString();
        assertEquals("Sr25519Keypair[publicKey=" + key.get("public_key").asText() + "]", text);
        String secret = key.get("secret_key_64_ed25519_format").asText().substring(2);
        assertFalse(text.contains(secret.substring(0, 16)));
        assertFalse(text.contains(secret.substring(64, 80)));
    }

    // //Bob comes with its public key and address only.
    private static List<JsonNode> keysWithSeeds() {
        List<JsonNode> keys = new ArrayList<>();
        ChainFixtures.vectors().get("keys").forEach(k -> {
            if (k.has("mini_secret_seed")) {
                keys.add(k);
            }
        });
        return keys;
    }

    private static Sr25519Keypair testKey() {
        return Sr25519Keypair.fromMiniSecret(ChainFixtures.hex(ChainFixtures.key("test-hotkey-1").get("mini_secret_seed")));
    }
}
