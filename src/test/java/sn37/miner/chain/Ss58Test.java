package sn37.miner.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import sn37.miner.chain.crypto.Hashing;
import sn37.miner.chain.scale.Hex;

class Ss58Test {
    private final JsonNode ss58 = ChainFixtures.vectors().get("ss58");

    @Test
    void encodeAndDecodeMatchEveryAddressVector() {
        for (JsonNode v : ss58.get("vectors")) {
            byte[] publicKey = ChainFixtures.hex(v.get("public_key"));
            String address = v.get("address").asText();
            assertEquals(address, Ss58.encode(publicKey, v.get("prefix").asInt()));
            assertArrayEquals(publicKey, Ss58.decode(address));
        }
    }

    @Test
    void keyVectorsRoundTripUnderPrefixes42And0() {
        for (JsonNode key : ChainFixtures.vectors().get("keys")) {
            byte[] publicKey = ChainFixtures.hex(key.get("public_key"));
            assertEquals(key.get("ss58_prefix_42").asText(), Ss58.encode(publicKey));
            if (key.has("ss58_prefix_0")) {
                assertEquals(key.get("ss58_prefix_0").asText(), Ss58.encode(publicKey, 0));
                assertArrayEquals(publicKey, Ss58.decode(key.get("ss58_prefix_0").asText(), 0));
            }
        }
    }

    @Test
    void checksumIsTheFirstTwoBytesOfBlake2b512OverSaltedBody() {
        JsonNode example = ss58.get("checksum_example");
        byte[] body = ChainFixtures.hex(example.get("prefixed_body"));
        byte[] digest = Hashing.blake2b(64, "SS58PRE".getBytes(StandardCharsets.US_ASCII), body);
        assertEquals(example.get("checksum_2_bytes").asText(), Hex.encode(new byte[] {digest[0], digest[1]}));
    }

    @Test
    void changedLastCharacterIsAChecksumMismatch() {
        String address = ss58.get("invalid").get(0).get("address").asText();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ss58.decode(address));
        assertTrue(e.getMessage().startsWith("SS58 address '" + address + "' has checksum"), e.getMessage());
    }

    @Test
    void polkadotAddressIsRefusedForTheBittensorPrefix() {
        String address = ss58.get("invalid").get(1).get("address").asText();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ss58.decode(address));
        assertEquals("SS58 address '" + address + "' has network prefix 0; expected 42", e.getMessage());
    }

    @Test
    void nonBase58CharacterIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ss58.decode("5GVrJuAMuuoGbyjRnVB4vYiLDsSu8mCuEkR3mVFkPkREa8F0"));
        assertTrue(e.getMessage().endsWith("character '0' at position 47 is not in the base58 alphabet"), e.getMessage());
    }

    @Test
    void truncatedAddressIsAWrongLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ss58.decode("5GVrJuAMuuoGbyjRnVB4vYiLDsSu8mCuEkR3mVFkPkREa8"));
        assertTrue(e.getMessage().contains("; expected 35 (1-byte prefix, 32-byte account id, 2-byte checksum)"),
                e.getMessage());
    }

    @Test
    void twoBytePrefixesRoundTrip() {
        byte[] publicKey = ChainFixtures.hex(ChainFixtures.key("alice").get("public_key"));
        for (int prefix : new int[] {64, 255, 1284, 16383}) {
            assertArrayEquals(publicKey, Ss58.decode(Ss58.encode(publicKey, prefix), prefix), "prefix " + prefix);
        }
        assertThrows(IllegalArgumentException.class, () -> Ss58.encode(publicKey, 16384));
        assertThrows(IllegalArgumentException.class, () -> Ss58.encode(new byte[31]));
    }
}
