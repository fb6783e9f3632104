package sn37.miner.pipeline;

/** The answer to a new run (202), or to a repeated request with the same Idempotency-Key (200, created false). */
public record RunAccepted(String runId, String status, boolean created) {}
