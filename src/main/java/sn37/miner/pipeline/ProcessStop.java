package sn37.miner.pipeline;

/**
 * The process has been told to stop (SIGINT, SIGTERM): a running stage stops at its next unit of work (train at
 * its next step, with a checkpoint), no stage or run starts after it, and the run it stopped is recorded FAILED
 * ("interrupted"), resumable.
 */
public final class ProcessStop {
    private volatile String cause;

    /** The first request wins; {@code cause} names it for the run's record, e.g. "SIGINT". */
    public synchronized void request(String cause) {
        if (this.cause == null) this.cause = cause;
    }

    public boolean requested() {
        return cause != null;
    }

    /** What stopped the process, or null. */
    public String cause() {
        return cause;
    }
}
