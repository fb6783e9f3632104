package sn37.miner.chain;

/** Where a submitted extrinsic landed: its block, its index there, and whether that block is final. */
public record Inclusion(String extrinsicHash, BlockRef block, int extrinsicIndex, boolean finalized) {}
