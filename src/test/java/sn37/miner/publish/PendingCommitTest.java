package sn37.miner.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import sn37.miner.util.Json;
import sn37.miner.hub.CommitEntry;

class PendingCommitTest {
    private static final String OID = "a".repeat(64);
    private final List<CommitEntry> entries = List.of(
            new CommitEntry("model.safetensors", CommitEntry.Kind.LFS, OID, 10),
            CommitEntry.deletion("model-00001-of-00002.safetensors"));

    @Test
    void keyNamesTheChangeNotTheParentItGoesOnTopOf() {
        PendingCommit first = new PendingCommit("miner/m", "1".repeat(40), entries, Map.of("model.safetensors", OID));
        PendingCommit later = new PendingCommit("miner/m", "2".repeat(40), List.of(entries.get(1), entries.get(0)),
                Map.of("model.safetensors", OID));
        PendingCommit other = new PendingCommit("miner/m", "1".repeat(40), entries.subList(0, 1),
                Map.of("model.safetensors", OID));

        assertEquals(first.contentDigest(), later.contentDigest());
        assertNotEquals(first.contentDigest(), other.contentDigest());
        assertEquals("hf:miner/m:" + first.contentDigest() + ":run-1#2", first.effectKey("run-1", 2));
        assertTrue(first.effectKey("run-1", 2).length() <= 300, "fits the effect_key column");
    }

    @Test
    void roundTripsThroughTheRunStoresJson() throws Exception {
        PendingCommit pending = new PendingCommit("miner/m", "1".repeat(40), entries, Map.of("model.safetensors", OID));

        String json = Json.mapper().writeValueAsString(pending);

        assertEquals(pending, Json.mapper().readValue(json, PendingCommit.class));
        assertTrue(!json.contains("contentDigest"), json);
    }
}
