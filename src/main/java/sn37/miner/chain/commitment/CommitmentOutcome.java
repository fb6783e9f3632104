package sn37.miner.chain.commitment;

/**
 * A commitment that is on chain and final. {@code skipped}: the chain held exactly this text already, so no
 * extrinsic was sent (and {@code extrinsicHash} is null).
 */
public record CommitmentOutcome(OnChainCommitment commitment, String extrinsicHash, boolean skipped) {}
