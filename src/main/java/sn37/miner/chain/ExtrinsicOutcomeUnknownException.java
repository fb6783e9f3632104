package sn37.miner.chain;

import java.util.Optional;

/**
 * The client lost track of a submitted extrinsic (connection lost, no answer in time, dropped from the node's
 * pool, finality timed out). It may still be, or already be, in a block: read the chain before sending again.
 */
public class ExtrinsicOutcomeUnknownException extends ChainException {
    private final PreparedExtrinsic extrinsic;
    private final BlockRef inBlock;

    public ExtrinsicOutcomeUnknownException(PreparedExtrinsic extrinsic, BlockRef inBlock, String message, Throwable cause) {
        super(message, cause);
        this.extrinsic = extrinsic;
        this.inBlock = inBlock;
    }

    public PreparedExtrinsic extrinsic() {
        return extrinsic;
    }

    /** The block the node last reported it in, when it did. */
    public Optional<BlockRef> inBlock() {
        return Optional.ofNullable(inBlock);
    }
}
