package sn37.miner.chain;

/**
 * The Subtensor chain refused a request, could not be reached, or answered something this client cannot use.
 * Messages name the endpoint (without query or credentials) or the storage item, and what to do next.
 */
public class ChainException extends RuntimeException {
    public ChainException(String message) {
        super(message);
    }

    public ChainException(String message, Throwable cause) {
        super(message, cause);
    }
}
