package sn37.miner.chain;

import java.util.Optional;
import java.util.function.Function;
import sn37.miner.chain.runtime.RuntimeMetadata;
import sn37.miner.chain.runtime.StorageEntry;
import sn37.miner.chain.scale.ScaleException;
import sn37.miner.chain.scale.ScaleReader;

/**
 * A storage item this client reads, with the value layout it decodes. The layout is checked against the
 * running runtime's metadata before every read, so a runtime upgrade that changes it fails with a message
 * instead of decoding garbage. With {@code prefixOnly}, only the leading fields must match (and are read).
 */
public record StorageItem<T>(String pallet, String name, String shape, boolean prefixOnly, Function<ScaleReader, T> decoder) {

    public static <T> StorageItem<T> of(String pallet, String name, String shape, Function<ScaleReader, T> decoder) {
        return new StorageItem<>(pallet, name, shape, false, decoder);
    }

    /** Raw value bytes, for values decoded elsewhere (e.g. {@link Registration} with the runtime's Data type). */
    public static StorageItem<byte[]> raw(String pallet, String name, String shape) {
        return new StorageItem<>(pallet, name, shape, false, r -> r.bytes(r.remaining()));
    }

    public boolean existsIn(RuntimeMetadata metadata) {
        return metadata.pallets().stream().anyMatch(p -> p.name().equals(pallet) && p.storageEntry(name).isPresent());
    }

    public StorageEntry entry(RuntimeMetadata metadata) {
        StorageEntry entry = metadata.storageEntry(pallet, name);
        String actual = metadata.types().describe(entry.valueType());
        if (prefixOnly ? !actual.startsWith(shape) : !actual.equals(shape)) {
            throw new ChainException("the runtime changed storage " + pallet + "." + name + ": its value is " + actual
                    + ", this client reads " + shape + (prefixOnly ? "…" : "") + "; update the miner");
        }
        return entry;
    }

    public byte[] key(RuntimeMetadata metadata, byte[]... encodedKeys) {
        StorageEntry entry = entry(metadata);
        if (encodedKeys.length != entry.hashers().size()) {
            throw new IllegalArgumentException(pallet + "." + name + " has " + entry.hashers().size() + " keys, got "
                    + encodedKeys.length);
        }
        return StorageKey.of(entry, encodedKeys);
    }

    /** The value, the declared default when absent from a DEFAULT item, or empty when absent from an OPTIONAL one. */
    public Optional<T> decode(RuntimeMetadata metadata, Optional<byte[]> stored) {
        StorageEntry entry = entry(metadata);
        Optional<byte[]> bytes = stored.isPresent() || entry.modifier() == StorageEntry.Modifier.OPTIONAL
                ? stored : Optional.of(entry.defaultValue());
        return bytes.map(b -> {
            ScaleReader in = new ScaleReader(b);
            try {
                T value = decoder.apply(in);
                if (!prefixOnly) {
                    in.expectEnd(pallet + "." + name);
                }
                return value;
            } catch (ScaleException e) {
                throw new ChainException("cannot decode " + pallet + "." + name + " as " + shape + ": " + e.getMessage(), e);
            }
        });
    }
}
