package sn37.miner.model;

import java.util.Optional;

/**
 * Element types of the safetensors format whose elements are whole bytes.
 *
 * <p>Declared in the order of the {@code Dtype} enum in safetensors' {@code src/tensor.rs}
 * ("increasing alignment order"): {@code serialize} lays tensors out by this order descending,
 * then by name, so the writer needs the same order to produce the same bytes as Python's
 * {@code save_file}. The sub-byte types of that enum (F4, F6_E2M3, F6_E3M2) are left out.
 */
public enum Dtype {
    BOOL(1),
    U8(1),
    I8(1),
    F8_E5M2(1),
    F8_E4M3(1),
    F8_E8M0(1),
    F8_E4M3FNUZ(1),
    F8_E5M2FNUZ(1),
    I16(2),
    U16(2),
    F16(2),
    BF16(2),
    I32(4),
    U32(4),
    F32(4),
    C64(8),
    F64(8),
    I64(8),
    U64(8);

    private final int byteSize;

    Dtype(int byteSize) {
        this.byteSize = byteSize;
    }

    public int byteSize() {
        return byteSize;
    }

    /** F32, F16 and BF16: the types {@code readFloats} widens and {@link FloatTensor} narrows to. */
    public boolean holdsFloats() {
        return this == F32 || this == F16 || this == BF16;
    }

    /** The {@code torch_dtype} string transformers writes into config.json, for float types. */
    public Optional<String> torchName() {
        return switch (this) {
            case F16 -> Optional.of("float16");
            case BF16 -> Optional.of("bfloat16");
            case F32 -> Optional.of("float32");
            case F64 -> Optional.of("float64");
            default -> Optional.empty();
        };
    }

    /** The type a header's {@code dtype} string names, if it is one of these. */
    public static Optional<Dtype> of(String name) {
        for (Dtype dtype : values()) {
            if (dtype.name().equals(name)) {
                return Optional.of(dtype);
            }
        }
        return Optional.empty();
    }
}
