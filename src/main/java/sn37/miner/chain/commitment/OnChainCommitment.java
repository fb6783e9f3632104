package sn37.miner.chain.commitment;

import java.util.Optional;
import sn37.miner.metadata.ModelId;

/**
 * What {@code Commitments.CommitmentOf(netuid, hotkey)} holds for SN37: the text of its first {@code Raw} field
 * and the block the commitment was made in ({@code Registration.block}, the block validators age it from).
 */
public record OnChainCommitment(int netuid, String hotkey, long block, String text) {

    /** taoverse {@code ModelId.from_compressed_str}; empty where it would raise. */
    public Optional<ModelId> modelId() {
        return ModelId.fromCompressedString(text);
    }
}
