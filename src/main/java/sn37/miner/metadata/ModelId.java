package sn37.miner.metadata;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A model's on-chain identity, as taoverse {@code model/data.py ModelId} (v1.0.5, unchanged at HEAD).
 * {@code commit}, {@code hash} and {@code secureHash} may be null; {@code hash} is never written on chain.
 */
public record ModelId(
        String namespace, String name, String commit, String hash, String secureHash, int competitionId) {

    /** The Commitments pallet stores at most 128 bytes of {@code Raw} data. */
    public static final int MAX_CHAIN_BYTES = 128;
    public static final int GIT_COMMIT_LENGTH = 40;
    public static final int SHA256_BASE64_LENGTH = 44;
    public static final int MAX_COMPETITION_ID_LENGTH = 2;
    /** 128 − 40 − 44 − 2 − 4 separators = 38, counting the '/' of {@code namespace/name}. */
    public static final int MAX_REPO_ID_LENGTH =
            MAX_CHAIN_BYTES - GIT_COMMIT_LENGTH - SHA256_BASE64_LENGTH - MAX_COMPETITION_ID_LENGTH - 4;

    private static final String NONE = "None";

    public ModelId {
        Objects.requireNonNull(namespace, "namespace must not be null (an empty string is allowed)");
        Objects.requireNonNull(name, "name must not be null (an empty string is allowed)");
    }

    /** {@code namespace:name:commit:secure_hash:competition_id}, with a missing field printed as {@code None}. */
    public String toCompressedString() {
        return namespace + ":" + name + ":" + orNone(commit) + ":" + orNone(secureHash) + ":" + competitionId;
    }

    /** UTF-8 length of {@link #toCompressedString()}: what the chain's 128-byte limit applies to. */
    public int chainBytes() {
        return toChainBytes(false).length;
    }

    /** Whether the compressed string fits the chain's {@value #MAX_CHAIN_BYTES}-byte limit. */
    public boolean fitsChain() {
        return chainBytes() <= MAX_CHAIN_BYTES;
    }

    /**
     * The bytes to commit: UTF-8 of the compressed string.
     *
     * @throws IllegalStateException when they exceed {@value #MAX_CHAIN_BYTES} bytes or the string is not
     *     encodable as UTF-8
     */
    public byte[] toChainBytes() {
        return toChainBytes(true);
    }

    private byte[] toChainBytes(boolean enforceLimit) {
        String compressed = toCompressedString();
        byte[] bytes;
        try {
            // Python's str.encode() raises on lone surrogates where String.getBytes would write '?'.
            ByteBuffer encoded =
                    StandardCharsets.UTF_8
                            .newEncoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .encode(CharBuffer.wrap(compressed));
            bytes = Arrays.copyOf(encoded.array(), encoded.limit());
        } catch (CharacterCodingException e) {
            throw new IllegalStateException(
                    "model id '" + compressed + "' is not encodable as UTF-8 (it holds a lone surrogate)", e);
        }
        if (enforceLimit && bytes.length > MAX_CHAIN_BYTES) {
            throw new IllegalStateException(
                    "model id '" + compressed + "' is " + bytes.length + " bytes of UTF-8, expected at most "
                            + MAX_CHAIN_BYTES + " for the chain (repo ids may have at most " + MAX_REPO_ID_LENGTH
                            + " characters)");
        }
        return bytes;
    }

    /**
     * Parses a compressed string as taoverse {@code ModelId.from_compressed_str}; empty where Python raises,
     * since validators treat a failed parse as "no metadata" ({@code ChainModelMetadataStore}).
     *
     * <ul>
     *   <li>5 or more ':'-separated tokens: the fifth is the competition id, read as Python {@code int()}
     *       does; further tokens are ignored; {@code hash} is null.
     *   <li>4 tokens (the legacy SN9 form): the competition id is {@code defaultCompetitionId} and
     *       {@code hash = secureHash = tokens[3]}.
     *   <li>fewer than 4 tokens: empty (Python's IndexError).
     *   <li>{@code commit}, {@code secureHash} and {@code hash} are null only for the exact token {@code None}.
     * </ul>
     *
     * <p>Python accepts a competition id of any size. One outside the int range names no competition, so a
     * validator drops that model ({@code get_competition_for_block} finds nothing); here it is empty, the
     * same outcome.
     */
    public static Optional<ModelId> fromCompressedString(String s, int defaultCompetitionId) {
        Objects.requireNonNull(s, "compressed model id must not be null");
        String[] tokens = s.split(":", -1);
        if (tokens.length < 4) {
            return Optional.empty();
        }
        int competitionId;
        String hash;
        if (tokens.length < 5) {
            competitionId = defaultCompetitionId;
            hash = noneToNull(tokens[3]);
        } else {
            Optional<BigInteger> parsed = PythonInt.parse(tokens[4]);
            if (parsed.isEmpty() || parsed.get().bitLength() >= Integer.SIZE) {
                return Optional.empty();
            }
            competitionId = parsed.get().intValue();
            hash = null;
        }
        return Optional.of(
                new ModelId(
                        tokens[0], tokens[1], noneToNull(tokens[2]), hash, noneToNull(tokens[3]), competitionId));
    }

    /** {@link #fromCompressedString(String, int)} with taoverse's default competition id 0. */
    public static Optional<ModelId> fromCompressedString(String s) {
        return fromCompressedString(s, 0);
    }

    private static String noneToNull(String token) {
        return NONE.equals(token) ? null : token;
    }

    private static String orNone(String value) {
        return value == null ? NONE : value;
    }
}
