package sn37.miner.chain;

import sn37.miner.chain.scale.Hex;

/**
 * A signed extrinsic ready to submit, with what reconciliation needs later: its hash, the signer's nonce, and
 * its mortal era. From {@link #deathBlock()} on it can never be included (sp_runtime {@code Era::death}).
 */
public record PreparedExtrinsic(byte[] bytes, String hash, String signer, long nonce, long eraBirth, long eraPeriod,
        int specVersion) {

    public PreparedExtrinsic {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return Hex.encode(bytes);
    }

    public long deathBlock() {
        return eraBirth + eraPeriod;
    }

    @Override
    public String toString() {
        return "PreparedExtrinsic[" + hash + ", signer=" + signer + ", nonce=" + nonce + ", era=" + eraBirth + "+"
                + eraPeriod + ", spec=" + specVersion + "]";
    }
}
