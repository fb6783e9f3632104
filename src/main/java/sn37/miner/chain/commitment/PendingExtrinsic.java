package sn37.miner.chain.commitment;

import sn37.miner.chain.PreparedExtrinsic;

/** A commitment extrinsic that was sent, or may have been: enough to settle its fate by reading the chain. */
public record PendingExtrinsic(String extrinsicHash, long nonce, long deathBlock) {

    public static PendingExtrinsic of(PreparedExtrinsic x) {
        return new PendingExtrinsic(x.hash(), x.nonce(), x.deathBlock());
    }
}
