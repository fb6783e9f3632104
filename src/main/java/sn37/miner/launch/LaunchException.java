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

    /**
     * The launcher no longer knows the job: it ended long enough ago that the launcher forgot it (a Slurm job past
     * the cluster's MinJobAge). How it ended is then in its job directory.
     */
    public boolean jobGone() {
        return false;
    }
}
