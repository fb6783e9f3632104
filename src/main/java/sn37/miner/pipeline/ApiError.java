package sn37.miner.pipeline;

/** Every error answer of the API: a short kind ("not found", "invalid parameter") and what to do about it. */
public record ApiError(String error, String detail) {}
