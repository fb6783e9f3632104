package sn37.miner.metadata;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * The hotkey-salted hash that goes on chain: taoverse {@code model/utils.py get_hash_of_two_strings(dir_hash,
 * hotkey)}, i.e. base64(SHA-256(UTF-8(dirHash + hotkeySs58))), plain string concatenation.
 */
public final class SecureHash {

    private SecureHash() {
    }

    public static String of(String dirHash, String hotkeySs58) {
        Objects.requireNonNull(dirHash, "dirHash must not be null (expected a 44-char base64 directory hash)");
        Objects.requireNonNull(hotkeySs58, "hotkeySs58 must not be null (expected the hotkey's SS58 address)");
        byte[] digest = Sha256.newDigest().digest((dirHash + hotkeySs58).getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(digest);
    }
}
