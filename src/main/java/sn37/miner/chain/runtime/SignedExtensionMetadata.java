package sn37.miner.chain.runtime;

/** A signed extension as the runtime declares it: its identifier and the type ids of its extra and additional-signed data. */
public record SignedExtensionMetadata(String identifier, int extraType, int additionalType) {}
