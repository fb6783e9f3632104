package sn37.miner.chain.runtime;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** A pallet's index, storage items, constants and the type ids of its call, event and error enums. */
public record PalletMetadata(
        String name,
        int index,
        List<StorageEntry> storage,
        OptionalInt callType,
        OptionalInt eventType,
        OptionalInt errorType,
        List<Constant> constants) {

    public record Constant(String name, int type, byte[] value) {
        public Constant {
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }
    }

    public PalletMetadata {
        storage = List.copyOf(storage);
        constants = List.copyOf(constants);
    }

    public Optional<StorageEntry> storageEntry(String item) {
        return storage.stream().filter(e -> e.name().equals(item)).findFirst();
    }

    public Optional<Constant> constant(String constantName) {
        return constants.stream().filter(c -> c.name().equals(constantName)).findFirst();
    }
}
