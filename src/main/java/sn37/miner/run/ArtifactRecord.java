package sn37.miner.run;

import java.time.Instant;

/** A file a stage produced under the run's work dir, with what it must still be on resume. */
public record ArtifactRecord(
        String runId, String name, String stage, String path, long sizeBytes, String sha256, Instant createdAt) {}
