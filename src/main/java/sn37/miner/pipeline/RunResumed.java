package sn37.miner.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The answer to a resume: the run is QUEUED again under its next attempt. */
public record RunResumed(@JsonProperty(required = true) String runId, @JsonProperty(required = true) String status,
        @JsonProperty(required = true) int attempt) {}
