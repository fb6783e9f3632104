package sn37.miner.run;

import java.util.Set;

/** Machine state of a run. The outcome text lives in {@code last_error}, not here. */
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

    public boolean isTerminal() {
        return this == SUCCEEDED || this == REJECTED;
    }

    /** A resume is allowed only from a state that stopped short of the end. */
    public boolean isResumable() {
        return this == FAILED || this == CANCELLED;
    }

    public boolean isActive() {
        return this == QUEUED || this == RUNNING;
    }

    public boolean canMoveTo(RunStatus next) {
        return switch (this) {
            case QUEUED -> Set.of(RUNNING, CANCELLED).contains(next);
            case RUNNING -> Set.of(SUCCEEDED, FAILED, REJECTED, CANCELLED).contains(next);
            case FAILED, CANCELLED -> next == QUEUED;
            case SUCCEEDED, REJECTED -> false;
        };
    }
}
