package sn37.miner.chain.scale;

/** SCALE bytes are truncated, malformed or use a variant this code cannot size; the message names what and where. */
public class ScaleException extends RuntimeException {
    public ScaleException(String message) {
        super(message);
    }

    public ScaleException(String message, Throwable cause) {
        super(message, cause);
    }
}
