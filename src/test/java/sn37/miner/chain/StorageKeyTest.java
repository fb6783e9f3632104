package sn37.miner.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import sn37.miner.chain.runtime.RuntimeMetadata;
import sn37.miner.chain.runtime.StorageEntry;
import sn37.miner.chain.runtime.StorageHasher;
import sn37.miner.chain.scale.Hex;
import sn37.miner.chain.scale.ScaleWriter;

class StorageKeyTest {
    private static final Pattern CALL = Pattern.compile("(\\w+)\\.(\\w+)\\(([^)]*)\\).*");
    private static final Pattern PREFIX = Pattern.compile("(\\w+)\\.(\\w+) prefix for netuid (\\d+).*");

    @Test
    void explicitHashersBuildTheCommitmentOfKey() {
        byte[] hotkey = ChainFixtures.hex(ChainFixtures.key("test-hotkey-1").get("public_key"));
        byte[] key = StorageKey.of("Commitments", "CommitmentOf",
                StorageKey.part(StorageHasher.IDENTITY, new ScaleWriter().u16(37).toByteArray()),
                StorageKey.part(StorageHasher.TWOX_64_CONCAT, hotkey));
        assertEquals(vector("Commitments.CommitmentOf(37, test-hotkey-1)"), Hex.encode(key));
    }

    @Test
    void everyStorageKeyVectorIsRebuiltFromMetadataHashers() {
        RuntimeMetadata metadata = ChainFixtures.metadata(ChainFixtures.FINNEY_V14);
        JsonNode vectors = ChainFixtures.vectors().get("storage_keys");
        for (JsonNode v : vectors) {
            String description = v.get("description").asText();
            Matcher prefix = PREFIX.matcher(description);
            Matcher call = CALL.matcher(description);
            byte[] key;
            if (prefix.matches()) {
                StorageEntry entry = metadata.storageEntry(prefix.group(1), prefix.group(2));
                key = StorageKey.of(entry, u16(prefix.group(3)));
            } else if (call.matches()) {
                StorageEntry entry = metadata.storageEntry(call.group(1), call.group(2));
                key = StorageKey.of(entry, encodeArguments(call.group(3), v).toArray(byte[][]::new));
            } else {
                throw new AssertionError("unrecognised storage key description: " + description);
            }
            assertEquals(v.get("key").asText(), Hex.encode(key), description);
        }
        assertEquals(15, vectors.size());
    }

    @Test
    void tooManyKeysForTheEntryIsRefused() {
        StorageEntry entry = ChainFixtures.metadata(ChainFixtures.FINNEY_V14).storageEntry("SubtensorModule", "SubnetworkN");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StorageKey.of(entry, u16("1"), u16("2")));
        assertEquals("storage item SubtensorModule.SubnetworkN has 1 keys; got 2", e.getMessage());
    }

    private static List<byte[]> encodeArguments(String arguments, JsonNode vector) {
        List<byte[]> keys = new ArrayList<>();
        for (String argument : arguments.split(",\\s*")) {
            if (argument.matches("\\d+")) {
                keys.add(u16(argument));
            } else if (argument.startsWith("5")) {
                byte[] account = Ss58.decode(argument);
                assertEquals(vector.get("public_key").asText(), Hex.encode(account));
                keys.add(account);
            } else {
                keys.add(ChainFixtures.hex(ChainFixtures.key(argument).get("public_key")));
            }
        }
        return keys;
    }

    private static byte[] u16(String value) {
        return new ScaleWriter().u16(Integer.parseInt(value)).toByteArray();
    }

    private static String vector(String description) {
        for (JsonNode v : ChainFixtures.vectors().get("storage_keys")) {
            if (v.get("description").asText().equals(description)) {
                return v.get("key").asText();
            }
        }
        throw new AssertionError("no storage key vector " + description);
    }
}
