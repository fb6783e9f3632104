package sn37.miner.run;

/** Whether a failure may go away by itself (the retry sweeper resumes the run) or needs a person. */
public enum FailureKind {
    /** Network or I/O trouble, a 5xx or 429 answer, a rate limit, a chain connection lost or timed out. */
    TRANSIENT,
    /** Missing wallet or token, 401/403, invalid input or model: retrying changes nothing. */
    PERMANENT
}
