package sn37.miner.chain;

/**
 * The extrinsic went into a block, its nonce was used, and its call failed at dispatch: {@code System.ExtrinsicFailed}
 * with {@link #failure()}, e.g. {@code Commitments.CommitmentSetRateLimitExceeded}.
 */
public class ExtrinsicFailedException extends ChainException {
    private final DispatchFailure failure;
    private final BlockRef block;

    public ExtrinsicFailedException(String extrinsicHash, BlockRef block, DispatchFailure failure) {
        super("extrinsic " + extrinsicHash + " was included in block " + block.number() + " (" + block.hash()
                + ") and failed: " + failure.describe());
        this.failure = failure;
        this.block = block;
    }

    public DispatchFailure failure() {
        return failure;
    }

    public BlockRef block() {
        return block;
    }
}
