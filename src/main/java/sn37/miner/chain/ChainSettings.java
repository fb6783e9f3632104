package sn37.miner.chain;

import java.time.Duration;
import sn37.miner.chain.rpc.RpcSettings;

/**
 * How this client transacts. {@code eraPeriod}: blocks a signed extrinsic stays valid (rounded up to a power of
 * two); it bounds how long a lost extrinsic can still land. {@code finalityBlocks}: blocks to wait for GRANDPA
 * after inclusion. {@code blockTime}: null to read it from the runtime ({@code Aura.SlotDuration}).
 */
public record ChainSettings(RpcSettings rpc, int eraPeriod, int finalityBlocks, Duration blockTime) {

    public ChainSettings {
        if (eraPeriod < 4 || eraPeriod > 65_536) {
            throw new IllegalArgumentException("eraPeriod must be in [4, 65536] blocks, got " + eraPeriod);
        }
        if (finalityBlocks < 1) {
            throw new IllegalArgumentException("finalityBlocks must be >= 1, got " + finalityBlocks);
        }
    }

    /**
     * 32-block era (6.4 min on finney, so a lost extrinsic is settled soon) and 30 blocks for finality: the
     * reference's fixed 60 s (taoverse {@code chain_model_metadata_store.py}) can be shorter than finality.
     */
    public static ChainSettings defaults() {
        return new ChainSettings(RpcSettings.defaults(), 32, 30, null);
    }

    public ChainSettings withBlockTime(Duration d) {
        return new ChainSettings(rpc, eraPeriod, finalityBlocks, d);
    }
}
