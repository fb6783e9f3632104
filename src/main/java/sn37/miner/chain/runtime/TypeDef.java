package sn37.miner.chain.runtime;

import java.util.List;
import java.util.Optional;

/** A scale-info type definition from the runtime's portable type registry. */
public sealed interface TypeDef {

    record Composite(List<Field> fields) implements TypeDef {}

    record Variant(List<VariantCase> variants) implements TypeDef {
        public Optional<VariantCase> byName(String name) {
            return variants.stream().filter(v -> v.name().equals(name)).findFirst();
        }

        public Optional<VariantCase> byIndex(int index) {
            return variants.stream().filter(v -> v.index() == index).findFirst();
        }
    }

    record Sequence(int elementType) implements TypeDef {}

    record Array(long length, int elementType) implements TypeDef {}

    record Tuple(List<Integer> elementTypes) implements TypeDef {}

    record Primitive(PrimitiveKind kind) implements TypeDef {}

    record Compact(int innerType) implements TypeDef {}

    record BitSequence(int storeType, int orderType) implements TypeDef {}

    /** A named or positional field; {@code name} and {@code typeName} are empty strings when absent. */
    record Field(String name, int type, String typeName) {}

    record VariantCase(String name, List<Field> fields, int index) {}

    /** scale-info {@code TypeDefPrimitive}, in SCALE index order. */
    enum PrimitiveKind {
        BOOL(1), CHAR(4), STR(-1), U8(1), U16(2), U32(4), U64(8), U128(16), U256(32),
        I8(1), I16(2), I32(4), I64(8), I128(16), I256(32);

        private final int size;

        PrimitiveKind(int size) {
            this.size = size;
        }

        /** The encoded size in bytes, or -1 for {@code str}, which is length-prefixed. */
        public int size() {
            return size;
        }

        public String rustName() {
            return name().toLowerCase();
        }
    }
}
