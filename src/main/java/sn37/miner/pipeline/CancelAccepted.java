package sn37.miner.pipeline;

/** The answer to a cancel: a QUEUED run is CANCELLED now; a RUNNING one stops before its next stage. */
public record CancelAccepted(String runId, String status, boolean cancelRequested) {}
