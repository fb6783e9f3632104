package sn37.miner.chain.runtime;

import java.util.Arrays;
import sn37.miner.chain.crypto.Hashing;

/** FRAME storage hashers, declared in the order of their SCALE index in runtime metadata. */
public enum StorageHasher {
    BLAKE2_128,
    BLAKE2_256,
    BLAKE2_128_CONCAT,
    TWOX_128,
    TWOX_256,
    TWOX_64_CONCAT,
    IDENTITY;

    /** The bytes this hasher puts into a storage key for the SCALE-encoded {@code key}. */
    public byte[] hash(byte[] key) {
        return switch (this) {
            case BLAKE2_128 -> Hashing.blake2_128(key);
            case BLAKE2_256 -> Hashing.blake2_256(key);
            case BLAKE2_128_CONCAT -> concat(Hashing.blake2_128(key), key);
            case TWOX_128 -> Hashing.twox128(key);
            case TWOX_256 -> Hashing.twox256(key);
            case TWOX_64_CONCAT -> concat(Hashing.twox64(key), key);
            case IDENTITY -> key.clone();
        };
    }

    /** True when the key can be read back from the storage key (needed to decode iterated keys). */
    public boolean isTransparent() {
        return this == BLAKE2_128_CONCAT || this == TWOX_64_CONCAT || this == IDENTITY;
    }

    public static StorageHasher fromIndex(int index) {
        StorageHasher[] all = values();
        if (index < 0 || index >= all.length) {
            throw new MetadataException("storage hasher index " + index + " is unknown; expected 0.." + (all.length - 1));
        }
        return all[index];
    }

    private static byte[] concat(byte[] hash, byte[] key) {
        byte[] out = Arrays.copyOf(hash, hash.length + key.length);
        System.arraycopy(key, 0, out, hash.length, key.length);
        return out;
    }
}
