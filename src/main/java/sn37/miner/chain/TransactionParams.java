package sn37.miner.chain;

import sn37.miner.chain.scale.Hex;

/**
 * What the signed extensions put into an extrinsic besides the call: runtime versions (from
 * {@code state_getRuntimeVersion}), the genesis hash, the era and the hash of its birth block, the
 * account nonce and the tip. Hashes are 32 bytes.
 */
public record TransactionParams(
        int specVersion,
        int transactionVersion,
        byte[] genesisHash,
        Era era,
        byte[] eraBlockHash,
        long nonce,
        long tip) {

    public TransactionParams {
        genesisHash = hash32("genesis hash", genesisHash);
        eraBlockHash = hash32("era block hash", eraBlockHash);
        if (era == null) {
            throw new IllegalArgumentException("era must be given (Era.immortal() or Era.mortal(...))");
        }
        if (nonce < 0 || nonce > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("nonce must be a u32, got " + nonce);
        }
        if (tip < 0) {
            throw new IllegalArgumentException("tip must be >= 0, got " + tip);
        }
    }

    /** An immortal transaction: the era block hash is the genesis hash. */
    public static TransactionParams immortal(int specVersion, int transactionVersion, byte[] genesisHash, long nonce) {
        return new TransactionParams(specVersion, transactionVersion, genesisHash, Era.immortal(), genesisHash, nonce, 0);
    }

    /** A mortal transaction; {@code birthBlockHash} is the hash of block {@code era.birth(current)}. */
    public static TransactionParams mortal(int specVersion, int transactionVersion, byte[] genesisHash, Era era,
            byte[] birthBlockHash, long nonce) {
        return new TransactionParams(specVersion, transactionVersion, genesisHash, era, birthBlockHash, nonce, 0);
    }

    @Override
    public byte[] genesisHash() {
        return genesisHash.clone();
    }

    @Override
    public byte[] eraBlockHash() {
        return eraBlockHash.clone();
    }

    @Override
    public String toString() {
        return "TransactionParams[spec=" + specVersion + ", tx=" + transactionVersion + ", genesis="
                + Hex.encode(genesisHash) + ", era=" + era + ", eraBlock=" + Hex.encode(eraBlockHash)
                + ", nonce=" + nonce + ", tip=" + tip + "]";
    }

    private static byte[] hash32(String what, byte[] hash) {
        if (hash == null || hash.length != 32) {
            throw new IllegalArgumentException(what + " must be 32 bytes, got "
                    + (hash == null ? "null" : hash.length + " bytes"));
        }
        return hash.clone();
    }
}
