package sn37.miner.stage;

/** What the gate decided, with the numbers it decided on. */
public record GateDecision(double metric, double threshold, boolean passed, String metricSource, String reason) {}
