package sn37.miner.run;

/**
 * Machine state of a run. The outcome text lives in {@code last_error}, not here, and the allowed moves live in the
 * database (RunStore's conditional updates), not here.
 */
public enum RunStatus {
    /** Written by a trigger, waiting for the runs consumer. */
    QUEUED,
    /** Claimed by the runs consumer; stages are executing. */
    RUNNING,
    /** Every planned stage finished SUCCEEDED or SKIPPED. */
    SUCCEEDED,
    /** A stage failed, or the process died while running (resumable). */
    FAILED,
    /** The gate said no: terminal, and not an error. */
    REJECTED,
    /** Stopped on request (resumable). */
    CANCELLED;

    /** A resume is allowed only from a state that stopped short of the end. */
    public boolean isResumable() {
        return this == FAILED || this == CANCELLED;
    }

    public boolean isActive() {
        return this == QUEUED || this == RUNNING;
    }
}
