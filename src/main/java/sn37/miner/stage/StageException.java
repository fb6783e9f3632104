package sn37.miner.stage;

/** A stage cannot do its job; the message says why and what to do. */
public class StageException extends RuntimeException {
    public StageException(String message) {
        super(message);
    }

    public StageException(String message, Throwable cause) {
        super(message, cause);
    }
}
