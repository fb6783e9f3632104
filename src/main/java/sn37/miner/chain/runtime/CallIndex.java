package sn37.miner.chain.runtime;

/** The two bytes that open an encoded call: the pallet's index and the call's variant index. */
public record CallIndex(int pallet, int call) {

    public CallIndex {
        if (pallet < 0 || pallet > 255 || call < 0 || call > 255) {
            throw new IllegalArgumentException("pallet and call indices must be in [0, 255], got " + pallet + "/" + call);
        }
    }

    public byte[] bytes() {
        return new byte[] {(byte) pallet, (byte) call};
    }
}
