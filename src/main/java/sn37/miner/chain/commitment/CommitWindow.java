package sn37.miner.chain.commitment;

import java.util.Optional;
import sn37.miner.chain.BlockRef;
import sn37.miner.chain.SubtensorClient;
import sn37.miner.chain.SubtensorStorage;
import sn37.miner.chain.SubtensorStorage.UsedSpace;
import sn37.miner.chain.runtime.RuntimeMetadata;
import sn37.miner.chain.scale.ScaleReader;

/**
 * Whether the running runtime would accept a commitment of {@code bytes} from a hotkey in the next block, by
 * the rule that runtime has (read from its metadata, never assumed):
 * <ul>
 *   <li>space budget (subtensor 4b237eae, 2025-03): each commit costs {@code max(100, field bytes)} of
 *       {@code MaxSpace} per subnet epoch; {@code UsedSpaceOf} resets when the epoch index changes. The index is
 *       {@code SubnetEpochIndex(netuid)} where the runtime stores it, else {@code (block + netuid + 1) / (tempo + 1)}
 *       ({@code get_epoch_index}, pallets/subtensor/src/subnets/weights.rs);</li>
 *   <li>block rate limit (2024 to early 2025): allowed iff {@code block >= LastCommitment + RateLimit}, the limit
 *       from the {@code RateLimit} storage or constant (100 blocks in spec 218).</li>
 * </ul>
 */
public final class CommitWindow {
    /** pallet_commitments {@code set_commitment}: {@code min_used_space}. */
    static final long MIN_USED_SPACE = 100;

    /** {@code open}: the next block accepts it; otherwise {@code firstBlock} is the first that would, for {@code reason}. */
    public record Verdict(boolean open, long firstBlock, String reason) {}

    private CommitWindow() {}

    public static Verdict check(SubtensorClient chain, int netuid, byte[] hotkey, int bytes, BlockRef best) {
        RuntimeMetadata md = chain.metadata();
        long next = best.number() + 1;
        byte[] netuidKey = u16(netuid);
        String hotkeyText = sn37.miner.chain.Ss58.encode(hotkey);
        if (SubtensorStorage.USED_SPACE_OF.existsIn(md) && SubtensorStorage.MAX_SPACE.existsIn(md)) {
            int tempo = chain.read(SubtensorStorage.TEMPO, best, netuidKey).orElseThrow();
            long epoch = SubtensorStorage.SUBNET_EPOCH_INDEX.existsIn(md)
                    ? chain.read(SubtensorStorage.SUBNET_EPOCH_INDEX, best, netuidKey).orElseThrow()
                    : epochIndex(netuid, tempo, next);
            Optional<UsedSpace> usage = chain.read(SubtensorStorage.USED_SPACE_OF, best, netuidKey, hotkey);
            long used = usage.filter(u -> u.lastEpoch() == epoch).map(UsedSpace::usedSpace).orElse(0L);
            long max = chain.read(SubtensorStorage.MAX_SPACE, best).orElseThrow();
            long required = Math.max(MIN_USED_SPACE, bytes);
            if (used + required <= max) {
                return new Verdict(true, next, "");
            }
            // With a stored epoch counter the next epoch's first block is not derivable; one tempo bounds it.
            long firstBlock = SubtensorStorage.SUBNET_EPOCH_INDEX.existsIn(md)
                    ? next + tempo + 1
                    : nextEpochStart(netuid, tempo, next);
            return new Verdict(false, firstBlock, "hotkey " + hotkeyText + " has used " + used + " of the " + max
                    + " bytes of commitment space of netuid " + netuid + " in this subnet epoch (tempo " + tempo
                    + "), and this commit needs " + required);
        }
        Optional<Long> limit = rateLimit(chain, md, best);
        if (limit.isPresent() && SubtensorStorage.LAST_COMMITMENT.existsIn(md)) {
            Optional<Long> last = chain.read(SubtensorStorage.LAST_COMMITMENT, best, netuidKey, hotkey);
            if (last.isEmpty() || next >= last.get() + limit.get()) {
                return new Verdict(true, next, "");
            }
            return new Verdict(false, last.get() + limit.get(), "hotkey " + hotkeyText + " committed on netuid " + netuid
                    + " at block " + last.get() + " and the runtime allows one commitment per " + limit.get() + " blocks");
        }
        return new Verdict(true, next, "");
    }

    static long epochIndex(int netuid, int tempo, long block) {
        return (block + netuid + 1) / (tempo + 1L);
    }

    static long nextEpochStart(int netuid, int tempo, long block) {
        return (epochIndex(netuid, tempo, block) + 1) * (tempo + 1L) - (netuid + 1L);
    }

    private static Optional<Long> rateLimit(SubtensorClient chain, RuntimeMetadata md, BlockRef best) {
        if (SubtensorStorage.RATE_LIMIT.existsIn(md)) {
            return chain.read(SubtensorStorage.RATE_LIMIT, best);
        }
        return chain.constant("Commitments", "RateLimit").or(() -> chain.constant("Commitments", "DefaultRateLimit"))
                .map(b -> new ScaleReader(b).u32());
    }

    static byte[] u16(int value) {
        return new byte[] {(byte) value, (byte) (value >>> 8)};
    }
}
