package sn37.miner.chain;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import sn37.miner.chain.crypto.Hashing;
import sn37.miner.chain.runtime.StorageEntry;
import sn37.miner.chain.runtime.StorageHasher;

/**
 * FRAME storage keys: {@code twox128(pallet) ‖ twox128(item) ‖ hasher(key)...}, each map key
 * SCALE-encoded before hashing (e.g. a u16 netuid as two little-endian bytes, an account as its 32 bytes).
 */
public final class StorageKey {

    /** One map key with the hasher the storage item declares for it. */
    public record Part(StorageHasher hasher, byte[] encodedKey) {
        public Part {
            encodedKey = encodedKey.clone();
        }
    }

    private StorageKey() {}

    public static Part part(StorageHasher hasher, byte[] encodedKey) {
        return new Part(hasher, encodedKey);
    }

    /** The key of a plain item, or the common prefix of all entries of a map (for {@code state_getKeysPaged}). */
    public static byte[] prefix(String pallet, String item) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Hashing.twox128(pallet.getBytes(StandardCharsets.UTF_8)));
        out.writeBytes(Hashing.twox128(item.getBytes(StandardCharsets.UTF_8)));
        return out.toByteArray();
    }

    /** A key from explicit hashers; fewer parts than the map has keys gives a prefix of its entries. */
    public static byte[] of(String pallet, String item, Part... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(prefix(pallet, item));
        for (Part part : parts) {
            out.writeBytes(part.hasher().hash(part.encodedKey));
        }
        return out.toByteArray();
    }

    /** A key using the hashers the runtime metadata declares for {@code entry}; may name a leading subset of its keys. */
    public static byte[] of(StorageEntry entry, byte[]... encodedKeys) {
        if (encodedKeys.length > entry.hashers().size()) {
            throw new IllegalArgumentException("storage item " + entry.prefix() + "." + entry.name() + " has "
                    + entry.hashers().size() + " keys; got " + encodedKeys.length);
        }
        Part[] parts = new Part[encodedKeys.length];
        for (int i = 0; i < encodedKeys.length; i++) {
            parts[i] = part(entry.hashers().get(i), encodedKeys[i]);
        }
        return of(entry.prefix(), entry.name(), parts);
    }
}
