package sn37.miner.chain;

/** The node did not answer within the request timeout; whether it acted on the request is unknown. */
public class ChainTimeoutException extends ChainException {
    public ChainTimeoutException(String message) {
        super(message);
    }
}
