package sn37.miner.run;

import java.time.Instant;

/** One attempt of one stage of a run. */
public record StageExecution(
        long id,
        String runId,
        String stage,
        int attempt,
        StageStatus status,
        String owner,
        String outputsJson,
        String error,
        Instant startedAt,
        Instant endedAt,
        Instant heartbeatAt,
        long version) {}
