package sn37.miner.chain;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import sn37.miner.chain.scale.Hex;
import sn37.miner.chain.scale.ScaleException;
import sn37.miner.chain.scale.ScaleReader;
import sn37.miner.chain.scale.ScaleWriter;
import sn37.miner.chain.scale.VariantSkipper;

/**
 * One field of a commitment: pallet_commitments {@code types::Data}. Its encoding is custom: the tag
 * of {@code Raw} carries the length ({@code len + 1}) and the bytes follow with no length prefix.
 */
public sealed interface Data {
    int MAX_RAW_BYTES = 128;

    /** The variant index, which is also the first encoded byte. */
    int index();

    void encodeTo(ScaleWriter out);

    /** UTF-8 text as {@code Raw}; at most 128 bytes. */
    static Data raw(String text) {
        return new Raw(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes variants known here and fails, naming the tag and offset, on any other. */
    static Data decode(ScaleReader in) {
        return decode(in, VariantSkipper.NONE);
    }

    /** Decodes known variants; variants unknown here but sized by {@code unknown} come back as {@link Unknown}. */
    static Data decode(ScaleReader in, VariantSkipper unknown) {
        int at = in.position();
        int tag = in.u8();
        if (tag == 0) {
            return new None();
        }
        if (tag <= MAX_RAW_BYTES + 1) {
            return new Raw(in.bytes(tag - 1));
        }
        for (HashKind kind : HashKind.values()) {
            if (kind.index == tag) {
                return new Hashed(kind, in.bytes(32));
            }
        }
        switch (tag) {
            case TimelockEncrypted.INDEX:
                return new TimelockEncrypted(in.byteVec(), in.u64());
            case ResetBondsFlag.INDEX:
                return new ResetBondsFlag();
            case BigRaw.INDEX:
                return new BigRaw(in.byteVec());
            default:
                if (unknown.skipFields(tag, in)) {
                    return new Unknown(tag, in.consumedSince(at + 1));
                }
                throw new ScaleException("commitment Data tag " + tag + " at offset " + at + " is unknown (known: 0..136) and "
                        + (unknown == VariantSkipper.NONE ? "no runtime metadata was given to size it"
                                : "the runtime's Data type has no such variant either"));
        }
    }

    record None() implements Data {
        @Override
        public int index() {
            return 0;
        }

        @Override
        public void encodeTo(ScaleWriter out) {
            out.u8(0);
        }
    }

    /** Raw0..Raw128. */
    record Raw(byte[] bytes) implements Data {
        public Raw {
            if (bytes.length > MAX_RAW_BYTES) {
                throw new IllegalArgumentException("Raw commitment data is " + bytes.length + " bytes; at most "
                        + MAX_RAW_BYTES + " fit (use BigRaw where the runtime has it)");
            }
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        public String utf8() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public int index() {
            return bytes.length + 1;
        }

        @Override
        public void encodeTo(ScaleWriter out) {
            out.u8(index()).raw(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Raw r && Arrays.equals(bytes, r.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Raw" + bytes.length + "(" + Hex.encode(bytes) + ")";
        }
    }

    enum HashKind {
        BLAKE_TWO_256(130), SHA_256(131), KECCAK_256(132), SHA_THREE_256(133);

        private final int index;

        HashKind(int index) {
            this.index = index;
        }
    }

    /** BlakeTwo256, Sha256, Keccak256 or ShaThree256 with its 32-byte digest. */
    record Hashed(HashKind kind, byte[] digest) implements Data {
        public Hashed {
            if (digest.length != 32) {
                throw new IllegalArgumentException(kind + " digest must be 32 bytes, got " + digest.length);
            }
            digest = digest.clone();
        }

        @Override
        public byte[] digest() {
            return digest.clone();
        }

        @Override
        public int index() {
            return kind.index;
        }

        @Override
        public void encodeTo(ScaleWriter out) {
            out.u8(index()).raw(digest);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Hashed h && kind == h.kind && Arrays.equals(digest, h.digest);
        }

        @Override
        public int hashCode() {
            return 31 * kind.hashCode() + Arrays.hashCode(digest);
        }

        @Override
        public String toString() {
            return kind + "(" + Hex.encode(digest) + ")";
        }
    }

    record TimelockEncrypted(byte[] encrypted, long revealRound) implements Data {
        static final int INDEX = 134;

        public TimelockEncrypted {
            encrypted = encrypted.clone();
        }

        @Override
        public byte[] encrypted() {
            return encrypted.clone();
        }

        @Override
        public int index() {
            return INDEX;
        }

        @Override
        public void encodeTo(ScaleWriter out) {
            out.u8(INDEX).bytes(encrypted).u64(revealRound);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TimelockEncrypted t && revealRound == t.revealRound && Arrays.equals(encrypted, t.encrypted);
        }

        @Override
        public int hashCode() {
            return 31 * Long.hashCode(revealRound) + Arrays.hashCode(encrypted);
        }

        @Override
        public String toString() {
            return "TimelockEncrypted(" + encrypted.length + " bytes, round " + revealRound + ")";
        }
    }

    record ResetBondsFlag() implements Data {
        static final int INDEX = 135;

        @Override
        public int index() {
            return INDEX;
        }

        @Override
        public void encodeTo(ScaleWriter out) {
            out.u8(INDEX);
        }
    }

    record BigRaw(byte[] bytes) implements Data {
        static final int INDEX = 136;

        public BigRaw {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public int index() {
            return INDEX;
        }

        @Override
        public void encodeTo(ScaleWriter out) {
            out.u8(INDEX).bytes(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BigRaw b && Arrays.equals(bytes, b.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "BigRaw(" + Hex.encode(bytes) + ")";
        }
    }

    /** A variant added by a later runtime, sized from its metadata; {@code fields} is its encoding after the tag. */
    record Unknown(int index, byte[] fields) implements Data {
        public Unknown {
            fields = fields.clone();
        }

        @Override
        public byte[] fields() {
            return fields.clone();
        }

        @Override
        public void encodeTo(ScaleWriter out) {
            out.u8(index).raw(fields);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Unknown u && index == u.index && Arrays.equals(fields, u.fields);
        }

        @Override
        public int hashCode() {
            return 31 * index + Arrays.hashCode(fields);
        }

        @Override
        public String toString() {
            return "Unknown" + index + "(" + Hex.encode(fields) + ")";
        }
    }
}
