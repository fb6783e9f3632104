package sn37.miner.run;

import java.time.Instant;

/** One run as stored: a whole pipeline or one stage alone. */
public record Run(
        String id,
        String kind,
        String runKey,
        String trigger,
        String paramsJson,
        RunStatus status,
        int attempt,
        boolean cancelRequested,
        String failedStage,
        String lastError,
        int autoRetries,
        Instant nextRetryAt,
        Instant createdAt,
        Instant startedAt,
        Instant endedAt,
        long version,
        FailureKind failureKind) {

    public static final String PIPELINE = "pipeline";

    public boolean isPipeline() {
        return PIPELINE.equals(kind);
    }
}
