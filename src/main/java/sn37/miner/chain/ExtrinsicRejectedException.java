package sn37.miner.chain;

/**
 * The extrinsic did not and will not go into a block: the pool refused it (bad signature, stale nonce, ancient
 * era...), declared it invalid, or another transaction with the same nonce replaced it. Sending a new one is
 * safe.
 */
public class ExtrinsicRejectedException extends ChainException {
    public ExtrinsicRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
