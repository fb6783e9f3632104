package sn37.miner.chain.commitment;

import sn37.miner.metadata.ModelId;

/** A miner's committed model: its uid and hotkey on the subnet, its model id, and the commit block. */
public record MinerModel(int uid, String hotkey, ModelId modelId, long block) {}
