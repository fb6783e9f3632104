package sn37.miner.wandb;

import java.io.IOException;

/**
 * A W&B API call that failed: an HTTP error after the retries, an answer that is not the GraphQL shape, or a
 * transport error. {@code status} is 0 when no HTTP answer came back. Messages never contain the API key.
 */
public class WandbException extends IOException {
    private final int status;
    private final String serverMessage;

    public WandbException(String message, int status, String serverMessage, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.serverMessage = serverMessage;
    }

    public WandbException(String message) {
        this(message, 0, null, null);
    }

    public int status() {
        return status;
    }

    /** What the server said, at most 300 characters; null when it said nothing readable. */
    public String serverMessage() {
        return serverMessage;
    }
}
