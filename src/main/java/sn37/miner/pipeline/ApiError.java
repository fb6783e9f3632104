package sn37.miner.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Every error answer of the API: a short kind ("not found", "invalid parameter") and what to do about it. */
public record ApiError(@JsonProperty(required = true) String error, String detail) {}
