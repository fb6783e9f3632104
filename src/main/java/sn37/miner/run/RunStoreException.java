package sn37.miner.run;

/** The run database could not be read or written. */
public class RunStoreException extends RuntimeException {
    public RunStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
