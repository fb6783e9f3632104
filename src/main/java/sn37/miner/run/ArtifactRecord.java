package sn37.miner.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** A file a stage produced under the run's work dir, with what it must still be on resume. */
public record ArtifactRecord(@JsonProperty(required = true) String runId, @JsonProperty(required = true) String name,
        String stage, @JsonProperty(required = true) String path, @JsonProperty(required = true) long sizeBytes,
        @JsonProperty(required = true) String sha256, Instant createdAt) {}
