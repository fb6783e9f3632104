package sn37.miner.chain;

import sn37.miner.chain.runtime.CallIndex;
import sn37.miner.chain.scale.ScaleWriter;

/** Call bytes of {@code Commitments.set_commitment(netuid: u16, info: Box<CommitmentInfo>)}. */
public final class SetCommitment {

    private SetCommitment() {}

    /** One {@code Raw} field holding {@code metadata} as UTF-8 (the SN37 model metadata string, at most 128 bytes). */
    public static byte[] call(int palletIndex, int callIndex, int netuid, String metadata) {
        return call(new CallIndex(palletIndex, callIndex), netuid, CommitmentInfo.of(Data.raw(metadata)));
    }

    public static byte[] call(CallIndex index, int netuid, String metadata) {
        return call(index, netuid, CommitmentInfo.of(Data.raw(metadata)));
    }

    public static byte[] call(CallIndex index, int netuid, CommitmentInfo info) {
        ScaleWriter out = new ScaleWriter().raw(index.bytes()).u16(netuid);
        info.encodeTo(out);
        return out.toByteArray();
    }
}
