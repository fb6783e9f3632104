package sn37.miner.run;

/** State of one attempt of one stage. */
public enum StageStatus {
    /** Claimed and executing; a heartbeat is written while it runs. */
    RUNNING,
    /** Finished; outputs recorded. A resume skips it. */
    SUCCEEDED,
    /** Threw, or the process died while it ran. */
    FAILED,
    /** Stopped on request before it finished (cancel, or the process told to stop); a resume runs it again. */
    CANCELLED,
    /** Not needed by this run (gate rejected, offline); not a failure. */
    SKIPPED;

    /** Done for the purpose of the run: a resume does not run it again. */
    public boolean isDone() {
        return this == SUCCEEDED || this == SKIPPED;
    }
}
