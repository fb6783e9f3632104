package sn37.miner.chain;

import java.util.List;
import sn37.miner.chain.scale.ScaleReader;
import sn37.miner.chain.scale.ScaleWriter;
import sn37.miner.chain.scale.VariantSkipper;

/** pallet_commitments {@code CommitmentInfo}: the fields of one commitment (at most MaxFields: 1 in 2024, 3 in 2025). */
public record CommitmentInfo(List<Data> fields) {

    public CommitmentInfo {
        fields = List.copyOf(fields);
    }

    public static CommitmentInfo of(Data... fields) {
        return new CommitmentInfo(List.of(fields));
    }

    public void encodeTo(ScaleWriter out) {
        out.vec(fields, (w, field) -> field.encodeTo(w));
    }

    public static CommitmentInfo decode(ScaleReader in, VariantSkipper unknownData) {
        return new CommitmentInfo(in.vec(r -> Data.decode(r, unknownData)));
    }
}
