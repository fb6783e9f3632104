package sn37.miner.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * One stored progress event as {@code GET /api/runs/{runId}/progress} and the stream answer it: its sequence number,
 * when it was recorded, and the stage's {@code ProgressEvent} fields. Declared for the OpenAPI document.
 */
public record ProgressItem(@JsonProperty(required = true) long seq, @JsonProperty(required = true) Instant at,
        @JsonProperty(required = true) String stage, @JsonProperty(required = true) String unit,
        @JsonProperty(required = true) long done, @JsonProperty(required = true) long total, String task,
        Integer epoch, Double loss, Double lr, Double gradNorm, Double tokensPerSecond, Double etaSeconds) {}
