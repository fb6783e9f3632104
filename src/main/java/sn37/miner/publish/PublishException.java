package sn37.miner.publish;

/** A model cannot be published or loaded as asked; the message names the input and what to do. */
public class PublishException extends RuntimeException {
    public PublishException(String message) {
        super(message);
    }

    public PublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
