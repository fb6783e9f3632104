package sn37.miner.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShardPlanTest {

    private static TensorData bytes(String name, int size) {
        return new ByteTensor(name, Dtype.U8, new long[] {size}, new byte[size]);
    }

    private static List<List<String>> names(ShardPlan plan) {
        List<List<String>> out = new ArrayList<>();
        plan.shards().forEach(shard -> out.add(shard.tensors().stream().map(TensorData::name).toList()));
        return out;
    }

    @Test
    void parsesSizesInDecimalUnitsAsHuggingfaceHubDoes() {
        assertEquals(5_000_000_000L, ShardPlan.parseSize("5GB"));
        assertEquals(ShardPlan.DEFAULT_MAX_SHARD_SIZE, ShardPlan.parseSize("5GB"));
        assertEquals(1_000L, ShardPlan.parseSize("1KB"));
        assertEquals(1_500_000L, ShardPlan.parseSize(" 1.5 mb "));
        assertEquals(1_100_000_000L, ShardPlan.parseSize("1.1GB"), "1.1 * 1e9 = 1100000000.0000002, truncated");
        assertEquals(10_000_000_000_000L, ShardPlan.parseSize("10TB"));
        assertThrows(IllegalArgumentException.class, () -> ShardPlan.parseSize("5GiB"));
        assertThrows(IllegalArgumentException.class, () -> ShardPlan.parseSize("5G"));
        assertThrows(IllegalArgumentException.class, () -> ShardPlan.parseSize("fiveGB"));
    }

    @Test
    void fillsShardsGreedilyInStateDictOrder() {
        // The example in split_state_dict_into_shards_factory's docstring: limit 10,
        // sizes [6, 6, 2, 6, 2, 2] give [6], [6+2], [6+2+2].
        ShardPlan plan = ShardPlan.split(List.of(bytes("a", 6), bytes("b", 6), bytes("c", 2), bytes("d", 6),
                bytes("e", 2), bytes("f", 2)), 10);
        assertEquals(List.of(List.of("a"), List.of("b", "c"), List.of("d", "e", "f")), names(plan));
        assertEquals(List.of("model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors",
                "model-00003-of-00003.safetensors"), plan.shards().stream().map(ShardPlan.Shard::fileName).toList());
        assertEquals(24, plan.totalSize());
        assertTrue(plan.sharded());
    }

    @Test
    void putsATensorOverTheLimitInAShardOfItsOwnAheadOfTheOpenShard() {
        ShardPlan plan = ShardPlan.split(List.of(bytes("a", 4), bytes("big", 12), bytes("c", 4)), 10);
        assertEquals(List.of(List.of("big"), List.of("a", "c")), names(plan));
        assertEquals(Map.of("a", "model-00002-of-00002.safetensors", "big", "model-00001-of-00002.safetensors",
                "c", "model-00002-of-00002.safetensors"), plan.weightMap());
    }

    @Test
    void aTensorExactlyAtTheLimitFillsTheOpenShard() {
        ShardPlan plan = ShardPlan.split(List.of(bytes("a", 10), bytes("b", 1)), 10);
        assertEquals(List.of(List.of("a"), List.of("b")), names(plan));
    }

    @Test
    void oneShardIsModelSafetensors() {
        ShardPlan plan = ShardPlan.split(List.of(bytes("a", 3), bytes("b", 3)), ShardPlan.DEFAULT_MAX_SHARD_SIZE);
        assertFalse(plan.sharded());
        assertEquals("model.safetensors", plan.shards().get(0).fileName());
        ShardPlan big = ShardPlan.split(List.of(bytes("only", 30)), 10);
        assertEquals("model.safetensors", big.shards().get(0).fileName());
    }

    @Test
    void weightMapIsSortedByName() {
        ShardPlan plan = ShardPlan.split(List.of(bytes("z", 1), bytes("a", 1), bytes("m", 1)), 10);
        assertEquals(List.of("a", "m", "z"), List.copyOf(plan.weightMap().keySet()));
        assertEquals(List.of("z", "a", "m"), List.copyOf(plan.placement().keySet()));
    }

    @Test
    void rejectsDuplicateNamesAndAnEmptyStateDict() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ShardPlan.split(List.of(bytes("a", 1), bytes("a", 1)), 10));
        assertTrue(e.getMessage().contains("'a' appears twice"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ShardPlan.split(List.of(), 10));
    }
}
