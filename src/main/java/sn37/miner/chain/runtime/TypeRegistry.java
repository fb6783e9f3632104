package sn37.miner.chain.runtime;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import sn37.miner.chain.runtime.TypeDef.Field;
import sn37.miner.chain.runtime.TypeDef.PrimitiveKind;
import sn37.miner.chain.runtime.TypeDef.VariantCase;
import sn37.miner.chain.scale.ScaleException;
import sn37.miner.chain.scale.ScaleReader;
import sn37.miner.chain.scale.VariantSkipper;

/** The runtime's portable type registry: lookup by id or path, shape descriptions and generic skipping. */
public final class TypeRegistry {
    private static final int MAX_DESCRIBE_DEPTH = 16;

    private final Map<Integer, PortableType> types;

    TypeRegistry(List<PortableType> types) {
        this.types = types.stream().collect(Collectors.toUnmodifiableMap(PortableType::id, t -> t));
    }

    public int size() {
        return types.size();
    }

    public PortableType get(int id) {
        PortableType type = types.get(id);
        if (type == null) {
            throw new MetadataException("type id " + id + " is not in the registry (" + types.size() + " types)");
        }
        return type;
    }

    /** The first type whose Rust path is exactly {@code path}, e.g. {@code "pallet_commitments::types::Data"}. */
    public Optional<PortableType> byPath(String path) {
        return types.values().stream()
                .filter(t -> t.pathString().equals(path))
                .min((a, b) -> Integer.compare(a.id(), b.id()));
    }

    /**
     * A compact, stable rendering of a type's encoded shape: single-field wrappers are unwrapped, so
     * {@code H256} reads {@code [u8;32]} and {@code CheckNonce} reads {@code Compact<u32>}; an empty struct or
     * tuple reads {@code ()}; enums read as their name with generic arguments, e.g. {@code Option<[u8;32]>}.
     */
    public String describe(int id) {
        return describe(id, 0);
    }

    /** Reads past one value of type {@code id}. */
    public void skip(ScaleReader reader, int id) {
        TypeDef def = get(id).def();
        if (def instanceof TypeDef.Composite c) {
            c.fields().forEach(f -> skip(reader, f.type()));
        } else if (def instanceof TypeDef.Variant v) {
            int at = reader.position();
            int index = reader.u8();
            VariantCase variant = v.byIndex(index).orElseThrow(() -> new ScaleException("variant index " + index
                    + " at offset " + at + " is not a variant of " + describe(id)));
            variant.fields().forEach(f -> skip(reader, f.type()));
        } else if (def instanceof TypeDef.Sequence s) {
            repeat(reader, reader.compactInt("sequence length"), s.elementType());
        } else if (def instanceof TypeDef.Array a) {
            repeat(reader, a.length(), a.elementType());
        } else if (def instanceof TypeDef.Tuple t) {
            t.elementTypes().forEach(e -> skip(reader, e));
        } else if (def instanceof TypeDef.Primitive p) {
            if (p.kind() == PrimitiveKind.STR) {
                reader.byteVec();
            } else {
                reader.skip(p.kind().size());
            }
        } else if (def instanceof TypeDef.Compact) {
            reader.compact();
        } else if (def instanceof TypeDef.BitSequence b) {
            long bits = reader.compactLong();
            int storeBytes = get(b.storeType()).def() instanceof TypeDef.Primitive p ? p.kind().size() : 1;
            long words = (bits + 8L * storeBytes - 1) / (8L * storeBytes);
            reader.skip(Math.toIntExact(words * storeBytes));
        }
    }

    /** Skips variants of the enum {@code enumTypeId} by the field layout the runtime declares. */
    public VariantSkipper variantSkipper(int enumTypeId) {
        if (!(get(enumTypeId).def() instanceof TypeDef.Variant v)) {
            throw new MetadataException("type " + enumTypeId + " (" + describe(enumTypeId) + ") is not an enum");
        }
        return (index, reader) -> v.byIndex(index).map(variant -> {
            variant.fields().forEach(f -> skip(reader, f.type()));
            return true;
        }).orElse(false);
    }

    private void repeat(ScaleReader reader, long count, int elementType) {
        if (get(elementType).def() instanceof TypeDef.Primitive p && p.kind() == PrimitiveKind.U8) {
            reader.skip(Math.toIntExact(count));
            return;
        }
        for (long i = 0; i < count; i++) {
            skip(reader, elementType);
        }
    }

    private String describe(int id, int depth) {
        if (depth > MAX_DESCRIBE_DEPTH) {
            return "…";
        }
        PortableType type = get(id);
        TypeDef def = type.def();
        if (def instanceof TypeDef.Composite c) {
            if (c.fields().size() <= 1) {
                return c.fields().isEmpty() ? "()" : describe(c.fields().get(0).type(), depth + 1);
            }
            return c.fields().stream()
                    .map(f -> fieldLabel(f) + describe(f.type(), depth + 1))
                    .collect(Collectors.joining(", ", "{", "}"));
        } else if (def instanceof TypeDef.Variant) {
            return nameWithParameters(type, depth);
        } else if (def instanceof TypeDef.Sequence s) {
            return "Vec<" + describe(s.elementType(), depth + 1) + ">";
        } else if (def instanceof TypeDef.Array a) {
            return "[" + describe(a.elementType(), depth + 1) + ";" + a.length() + "]";
        } else if (def instanceof TypeDef.Tuple t) {
            return t.elementTypes().stream().map(e -> describe(e, depth + 1)).collect(Collectors.joining(",", "(", ")"));
        } else if (def instanceof TypeDef.Primitive p) {
            return p.kind().rustName();
        } else if (def instanceof TypeDef.Compact c) {
            return "Compact<" + describe(c.innerType(), depth + 1) + ">";
        }
        return "BitVec";
    }

    private String nameWithParameters(PortableType type, int depth) {
        String name = type.path().isEmpty() ? "enum#" + type.id() : type.path().get(type.path().size() - 1);
        List<PortableType.TypeParameter> bound = type.parameters().stream().filter(p -> p.type() >= 0).toList();
        if (bound.isEmpty()) {
            return name;
        }
        return bound.stream()
                .map(p -> describe(p.type(), depth + 1))
                .collect(Collectors.joining(",", name + "<", ">"));
    }

    private static String fieldLabel(Field field) {
        return field.name().isEmpty() ? "" : field.name() + ": ";
    }
}
