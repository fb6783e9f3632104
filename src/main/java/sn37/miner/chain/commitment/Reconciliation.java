package sn37.miner.chain.commitment;

/** What the chain says about a {@link PendingExtrinsic}. */
public sealed interface Reconciliation {
    /** The commitment holds our text at the finalized head. */
    record Confirmed(OnChainCommitment commitment) implements Reconciliation {}

    /** The best chain holds our text, its block not final yet. */
    record AwaitingFinality(OnChainCommitment commitment) implements Reconciliation {}

    /** Not on chain yet, but the extrinsic's nonce is unused and its era open: it may still land before {@code deathBlock}. */
    record MayStillLand(long deathBlock, long bestBlock) implements Reconciliation {}

    /** It can never land (era over, or its nonce used by a block) and the chain does not hold our text. */
    record Absent() implements Reconciliation {}
}
