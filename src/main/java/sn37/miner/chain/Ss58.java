package sn37.miner.chain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import sn37.miner.chain.crypto.Hashing;
import sn37.miner.chain.scale.Hex;

/**
 * SS58 addresses for 32-byte account ids: base58(prefix ‖ account ‖ blake2b-512("SS58PRE" ‖ prefix ‖
 * account)[0..2]), with the one- and two-byte prefix forms of Substrate's {@code sp_core::crypto::Ss58Codec}.
 */
public final class Ss58 {
    /** Bittensor's network prefix (the generic Substrate one). */
    public static final int BITTENSOR_PREFIX = 42;
    private static final byte[] CHECKSUM_SALT = "SS58PRE".getBytes(StandardCharsets.US_ASCII);
    private static final int ACCOUNT_BYTES = 32;
    private static final int CHECKSUM_BYTES = 2;

    private Ss58() {}

    public static String encode(byte[] accountId) {
        return encode(accountId, BITTENSOR_PREFIX);
    }

    public static String encode(byte[] accountId, int prefix) {
        if (accountId == null || accountId.length != ACCOUNT_BYTES) {
            throw new IllegalArgumentException("account id must be " + ACCOUNT_BYTES + " bytes, got "
                    + (accountId == null ? "null" : accountId.length + " bytes"));
        }
        byte[] body = concat(prefixBytes(prefix), accountId);
        return Base58.encode(concat(body, checksum(body)));
    }

    /** The account id of a Bittensor (prefix 42) address. */
    public static byte[] decode(String address) {
        return decode(address, BITTENSOR_PREFIX);
    }

    /**
     * @throws IllegalArgumentException naming the address and what is wrong: a character outside
     *     base58, the wrong length, a checksum mismatch, or a prefix other than {@code expectedPrefix}
     */
    public static byte[] decode(String address, int expectedPrefix) {
        byte[] raw;
        try {
            raw = Base58.decode(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SS58 address '" + address + "': " + e.getMessage(), e);
        }
        if (raw.length > 0 && (raw[0] & 0xFF) >= 128) {
            throw new IllegalArgumentException("SS58 address '" + address + "' starts with byte " + (raw[0] & 0xFF)
                    + "; expected a prefix byte below 128");
        }
        int prefixLength = raw.length > 0 && (raw[0] & 0xFF) >= 64 ? 2 : 1;
        int expectedLength = prefixLength + ACCOUNT_BYTES + CHECKSUM_BYTES;
        if (raw.length != expectedLength) {
            throw new IllegalArgumentException("SS58 address '" + address + "' decodes to " + raw.length
                    + " bytes; expected " + expectedLength + " (" + prefixLength + "-byte prefix, 32-byte account id, "
                    + "2-byte checksum)");
        }
        byte[] body = Arrays.copyOfRange(raw, 0, raw.length - CHECKSUM_BYTES);
        byte[] found = Arrays.copyOfRange(raw, raw.length - CHECKSUM_BYTES, raw.length);
        byte[] expected = checksum(body);
        if (!MessageDigest.isEqual(found, expected)) {
            throw new IllegalArgumentException("SS58 address '" + address + "' has checksum " + Hex.encode(found)
                    + "; its content gives " + Hex.encode(expected) + " (mistyped or truncated address?)");
        }
        int prefix = prefixLength == 1 ? raw[0] & 0xFF : twoBytePrefix(raw[0] & 0xFF, raw[1] & 0xFF);
        if (prefix != expectedPrefix) {
            throw new IllegalArgumentException("SS58 address '" + address + "' has network prefix " + prefix
                    + "; expected " + expectedPrefix);
        }
        return Arrays.copyOfRange(raw, prefixLength, prefixLength + ACCOUNT_BYTES);
    }

    private static byte[] prefixBytes(int prefix) {
        if (prefix < 0 || prefix > 16383 || prefix == 46 || prefix == 47) {
            throw new IllegalArgumentException("SS58 prefix must be in [0, 16383] and not 46 or 47, got " + prefix);
        }
        if (prefix < 64) {
            return new byte[] {(byte) prefix};
        }
        // sp_core Ss58Codec::to_ss58check_with_version, two-byte form
        int first = ((prefix & 0b1111_1100) >> 2) | 0b0100_0000;
        int second = (prefix >> 8) | ((prefix & 0b11) << 6);
        return new byte[] {(byte) first, (byte) second};
    }

    private static int twoBytePrefix(int first, int second) {
        int lower = ((first << 2) | (second >> 6)) & 0xFF;
        int upper = second & 0b0011_1111;
        return lower | (upper << 8);
    }

    private static byte[] checksum(byte[] body) {
        return Arrays.copyOf(Hashing.blake2b(64, CHECKSUM_SALT, body), CHECKSUM_BYTES);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
