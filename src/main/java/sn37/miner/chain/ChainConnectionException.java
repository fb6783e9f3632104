package sn37.miner.chain;

/**
 * The WebSocket to the node could not be opened, or closed while requests were in flight: their outcome on
 * the node is unknown.
 */
public class ChainConnectionException extends ChainException {
    public ChainConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
