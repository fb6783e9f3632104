package sn37.miner.launch;

import java.io.IOException;

/** A launcher could not do what was asked: the message says what and what to change, never a secret. */
public class LaunchException extends IOException {
    public LaunchException(String message) {
        super(message);
    }

    public LaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
