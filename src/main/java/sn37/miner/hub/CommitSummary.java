package sn37.miner.hub;

/** One entry of a branch's history, newest first as the Hub lists it. */
public record CommitSummary(String id, String title) {}
