package sn37.miner.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The answer to a new run (202), or to a repeated request with the same Idempotency-Key (200, created false). */
public record RunAccepted(@JsonProperty(required = true) String runId, @JsonProperty(required = true) String status,
        @JsonProperty(required = true) boolean created) {}
