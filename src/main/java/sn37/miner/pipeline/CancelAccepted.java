package sn37.miner.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The answer to a cancel: a QUEUED run is CANCELLED now; a RUNNING one stops before its next stage. */
public record CancelAccepted(@JsonProperty(required = true) String runId, @JsonProperty(required = true) String status,
        @JsonProperty(required = true) boolean cancelRequested) {}
