package sn37.miner.chain;

import java.util.List;
import sn37.miner.chain.scale.ScaleReader;

/**
 * The storage items this miner reads, with their layouts as decoded from the finney spec-343 and raonet
 * spec-218 metadata (src/test/resources/chain/README.md). Stake and incentive are per uid of a netuid.
 */
public final class SubtensorStorage {
    public static final StorageItem<byte[]> COMMITMENT_OF =
            StorageItem.raw("Commitments", "CommitmentOf", "{deposit: u64, block: u32, info: Vec<Data>}");
    public static final StorageItem<Long> LAST_COMMITMENT =
            StorageItem.of("Commitments", "LastCommitment", "u32", ScaleReader::u32);
    /** Runtimes with a settable rate limit (subtensor 2025-02) keep it here; spec 218 has a constant instead. */
    public static final StorageItem<Long> RATE_LIMIT = StorageItem.of("Commitments", "RateLimit", "u32", ScaleReader::u32);
    public static final StorageItem<UsedSpace> USED_SPACE_OF = StorageItem.of("Commitments", "UsedSpaceOf",
            "{last_epoch: u64, used_space: u64}", r -> new UsedSpace(r.u64(), r.u64()));
    public static final StorageItem<Long> MAX_SPACE = StorageItem.of("Commitments", "MaxSpace", "u32", ScaleReader::u32);

    public static final StorageItem<Integer> UIDS = StorageItem.of("SubtensorModule", "Uids", "u16", ScaleReader::u16);
    public static final StorageItem<byte[]> KEYS = StorageItem.of("SubtensorModule", "Keys", "[u8;32]", r -> r.bytes(32));
    public static final StorageItem<Integer> SUBNETWORK_N =
            StorageItem.of("SubtensorModule", "SubnetworkN", "u16", ScaleReader::u16);
    public static final StorageItem<Integer> TEMPO = StorageItem.of("SubtensorModule", "Tempo", "u16", ScaleReader::u16);
    public static final StorageItem<Long> SUBNET_EPOCH_INDEX =
            StorageItem.of("SubtensorModule", "SubnetEpochIndex", "u64", ScaleReader::u64);
    public static final StorageItem<List<Integer>> INCENTIVE =
            StorageItem.of("SubtensorModule", "Incentive", "Vec<u16>", r -> r.vec(ScaleReader::u16));
    public static final StorageItem<List<Boolean>> VALIDATOR_PERMIT =
            StorageItem.of("SubtensorModule", "ValidatorPermit", "Vec<bool>", r -> r.vec(ScaleReader::bool));
    /** Alpha staked on a hotkey on one subnet, in rao (1e-9); netuid 0 (root) holds TAO. */
    public static final StorageItem<Long> TOTAL_HOTKEY_ALPHA =
            StorageItem.of("SubtensorModule", "TotalHotkeyAlpha", "u64", ScaleReader::u64);

    /** Only the nonce, the first field of frame_system {@code AccountInfo}. */
    public static final StorageItem<Long> ACCOUNT_NONCE =
            new StorageItem<>("System", "Account", "{nonce: u32,", true, ScaleReader::u32);
    public static final StorageItem<byte[]> EVENTS = new StorageItem<>("System", "Events",
            "Vec<{phase: Phase, event: RuntimeEvent, topics: Vec<[u8;32]>}>", false, r -> r.bytes(r.remaining()));

    /** pallet_commitments {@code UsageTracker}: space used in the subnet epoch {@code lastEpoch}. */
    public record UsedSpace(long lastEpoch, long usedSpace) {}

    private SubtensorStorage() {}
}
