package sn37.miner.chain.runtime;

import java.util.List;

/** One entry of the type registry: its id, Rust path (e.g. {@code [pallet_commitments, types, Data]}), generic parameters and definition. */
public record PortableType(int id, List<String> path, List<TypeParameter> parameters, TypeDef def) {

    /** A generic parameter; {@code type} is -1 when the metadata leaves it unresolved. */
    public record TypeParameter(String name, int type) {}

    public String pathString() {
        return String.join("::", path);
    }
}
