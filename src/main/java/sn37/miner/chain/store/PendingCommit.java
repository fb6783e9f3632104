package sn37.miner.chain.store;

import sn37.miner.chain.PreparedExtrinsic;

/** A commitment extrinsic that was sent, or may have been: enough to settle its fate by reading the chain. */
public record PendingCommit(String extrinsicHash, long nonce, long deathBlock) {

    public static PendingCommit of(PreparedExtrinsic x) {
        return new PendingCommit(x.hash(), x.nonce(), x.deathBlock());
    }
}
