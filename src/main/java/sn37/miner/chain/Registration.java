package sn37.miner.chain;

import java.util.Optional;
import sn37.miner.chain.scale.ScaleException;
import sn37.miner.chain.scale.ScaleReader;
import sn37.miner.chain.scale.ScaleWriter;
import sn37.miner.chain.scale.VariantSkipper;

/**
 * The value of {@code Commitments.CommitmentOf(netuid, hotkey)}: the deposit held, the block the
 * commitment was made in, and its fields.
 */
public record Registration(long deposit, long block, CommitmentInfo info) {

    public Registration {
        if (block < 0 || block > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("block must be a u32, got " + block);
        }
    }

    /** Decodes storage bytes whose Data fields all have a Java type here. */
    public static Registration decode(byte[] bytes) {
        return decode(bytes, VariantSkipper.NONE);
    }

    /**
     * Decodes storage bytes; Data variants unknown here are sized by {@code unknownData}, e.g.
     * {@code metadata.types().variantSkipper(dataTypeId)}.
     */
    public static Registration decode(byte[] bytes, VariantSkipper unknownData) {
        ScaleReader in = new ScaleReader(bytes);
        try {
            long deposit = in.u64();
            if (deposit < 0) {
                throw new ScaleException("Registration deposit " + Long.toUnsignedString(deposit)
                        + " is above 2^63 - 1 rao; expected a real balance");
            }
            long block = in.u32();
            CommitmentInfo info = CommitmentInfo.decode(in, unknownData);
            in.expectEnd("Registration");
            return new Registration(deposit, block, info);
        } catch (ScaleException e) {
            throw new ScaleException("cannot decode Registration (CommitmentOf value): " + e.getMessage(), e);
        }
    }

    public byte[] encode() {
        ScaleWriter out = new ScaleWriter().u64(deposit).u32(block);
        info.encodeTo(out);
        return out.toByteArray();
    }

    /** The first field as text when it is {@code Raw}: where SN37 miners put their model metadata string. */
    public Optional<String> firstRawText() {
        if (!info.fields().isEmpty() && info.fields().get(0) instanceof Data.Raw raw) {
            return Optional.of(raw.utf8());
        }
        return Optional.empty();
    }
}
