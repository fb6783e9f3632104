package sn37.miner.chain.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import sn37.miner.chain.ChainFixtures;
import sn37.miner.chain.scale.Hex;

class HashingTest {
    private final JsonNode hashing = ChainFixtures.vectors().get("hashing");

    @Test
    void twox128OfPalletAndItemNamesMatchesTheVectors() {
        for (String name : new String[] {"Commitments", "CommitmentOf", "LastCommitment", "SubtensorModule", "Uids",
                "Keys", "System", "Account"}) {
            assertEquals(hashing.get("twox128(\"" + name + "\")").asText(),
                    Hex.encode(Hashing.twox128(name.getBytes(StandardCharsets.UTF_8))), name);
        }
    }

    @Test
    void twox64AndBlake2OfAPublicKeyMatchTheVectors() {
        byte[] publicKey = ChainFixtures.hex(ChainFixtures.key("test-hotkey-1").get("public_key"));
        assertEquals(hashing.get("twox64(test-hotkey-1 pubkey)").asText(), Hex.encode(Hashing.twox64(publicKey)));
        assertEquals(hashing.get("blake2_128(test-hotkey-1 pubkey)").asText(), Hex.encode(Hashing.blake2_128(publicKey)));
    }

    @Test
    void blake2_256AndEmptyXxHashMatchTheVectors() {
        assertEquals(hashing.get("blake2_256(utf8(\"abc\"))").asText(),
                Hex.encode(Hashing.blake2_256("abc".getBytes(StandardCharsets.UTF_8))));
        assertEquals(hashing.get("xxhash64 seed0 of \"\" as LE bytes").asText(), Hex.encode(Hashing.twox64(new byte[0])));
    }

    @Test
    void twox256ExtendsTwox128WithSeedsTwoAndThree() {
        byte[] data = "Account".getBytes(StandardCharsets.UTF_8);
        assertEquals(Hex.encode(Hashing.twox128(data)), Hex.encode(Hashing.twox256(data)).substring(0, 34));
        assertEquals(32, Hashing.twox256(data).length);
    }
}
