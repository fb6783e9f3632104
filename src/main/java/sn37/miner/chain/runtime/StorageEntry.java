package sn37.miner.chain.runtime;

import java.util.List;

/**
 * A storage item: {@code prefix} is the pallet's storage prefix (its name), {@code hashers} has one entry
 * per map key (empty for a plain value), {@code keyType} is -1 for a plain value.
 */
public record StorageEntry(
        String prefix,
        String name,
        Modifier modifier,
        List<StorageHasher> hashers,
        int keyType,
        int valueType,
        byte[] defaultValue) {

    /** OPTIONAL: an absent value reads as null over RPC. DEFAULT: an absent value means {@link #defaultValue()}. */
    public enum Modifier {
        OPTIONAL,
        DEFAULT
    }

    public StorageEntry {
        hashers = List.copyOf(hashers);
        defaultValue = defaultValue.clone();
    }

    @Override
    public byte[] defaultValue() {
        return defaultValue.clone();
    }

    public boolean isMap() {
        return !hashers.isEmpty();
    }
}
