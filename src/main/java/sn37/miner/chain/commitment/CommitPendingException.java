package sn37.miner.chain.commitment;

import sn37.miner.chain.ChainException;

/**
 * A sent commitment is not settled yet (in a block that is not final, or possibly still in a pool). No second
 * extrinsic is sent while this holds; reading the chain again later settles it.
 */
public class CommitPendingException extends ChainException {
    public CommitPendingException(String message, Throwable cause) {
        super(message, cause);
    }
}
