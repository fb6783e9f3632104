package sn37.miner.pipeline;

/** The answer to a resume: the run is QUEUED again under its next attempt. */
public record RunResumed(String runId, String status, int attempt) {}
