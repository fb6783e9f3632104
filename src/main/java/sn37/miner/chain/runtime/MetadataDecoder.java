package sn37.miner.chain.runtime;

import java.util.List;
import java.util.OptionalInt;
import sn37.miner.chain.runtime.PortableType.TypeParameter;
import sn37.miner.chain.runtime.StorageEntry.Modifier;
import sn37.miner.chain.runtime.TypeDef.Field;
import sn37.miner.chain.runtime.TypeDef.PrimitiveKind;
import sn37.miner.chain.runtime.TypeDef.VariantCase;
import sn37.miner.chain.scale.ScaleReader;

/**
 * Decodes frame-metadata {@code RuntimeMetadataV14} and {@code V15} (crate frame-metadata 16,
 * {@code src/v14.rs}, {@code src/v15.rs}; types from scale-info 2 {@code PortableRegistry}). Docs are
 * read and dropped; V15's runtime APIs, outer enums and custom map are read only to reach the end.
 */
final class MetadataDecoder {
    private final ScaleReader in;
    private final int version;

    private MetadataDecoder(ScaleReader in, int version) {
        this.in = in;
        this.version = version;
    }

    static RuntimeMetadata decode(ScaleReader in, int version) {
        return new MetadataDecoder(in, version).metadata();
    }

    private RuntimeMetadata metadata() {
        TypeRegistry types = new TypeRegistry(in.vec(r -> portableType()));
        List<PalletMetadata> pallets = in.vec(r -> pallet());
        if (version == 14) {
            in.compactInt("extrinsic type id");
        }
        int extrinsicVersion = in.u8();
        if (version == 15) {
            for (String ty : List.of("address", "call", "signature", "extra")) {
                in.compactInt(ty + " type id");
            }
        }
        List<SignedExtensionMetadata> extensions = in.vec(r -> new SignedExtensionMetadata(
                r.string(), r.compactInt("extension extra type id"), r.compactInt("extension additional type id")));
        in.compactInt("runtime type id");
        if (version == 15) {
            int apis = in.compactInt("runtime api count");
            for (int i = 0; i < apis; i++) {
                skipRuntimeApi();
            }
            for (String outer : List.of("call", "event", "error")) {
                in.compactInt("outer " + outer + " enum type id");
            }
            int customCount = in.compactInt("custom map length");
            for (int i = 0; i < customCount; i++) {
                in.string();
                in.compactInt("custom value type id");
                in.byteVec();
            }
        }
        return new RuntimeMetadata(version, types, pallets, extrinsicVersion, extensions);
    }

    private PortableType portableType() {
        int id = in.compactInt("type id");
        List<String> path = in.vec(ScaleReader::string);
        List<TypeParameter> parameters = in.vec(r -> new TypeParameter(
                r.string(), r.option(p -> p.compactInt("type parameter id")).orElse(-1)));
        TypeDef def = typeDef();
        docs();
        return new PortableType(id, path, parameters, def);
    }

    private TypeDef typeDef() {
        int at = in.position();
        int tag = in.u8();
        return switch (tag) {
            case 0 -> new TypeDef.Composite(in.vec(r -> field()));
            case 1 -> new TypeDef.Variant(in.vec(r -> variant()));
            case 2 -> new TypeDef.Sequence(in.compactInt("sequence element type id"));
            case 3 -> new TypeDef.Array(in.u32(), in.compactInt("array element type id"));
            case 4 -> new TypeDef.Tuple(in.vec(r -> r.compactInt("tuple element type id")));
            case 5 -> new TypeDef.Primitive(primitive());
            case 6 -> new TypeDef.Compact(in.compactInt("compact inner type id"));
            case 7 -> new TypeDef.BitSequence(in.compactInt("bit store type id"), in.compactInt("bit order type id"));
            default -> throw new MetadataException("type definition tag " + tag + " at offset " + at
                    + " is unknown; expected 0..7 (scale-info TypeDef)");
        };
    }

    private PrimitiveKind primitive() {
        int at = in.position();
        int index = in.u8();
        PrimitiveKind[] kinds = PrimitiveKind.values();
        if (index >= kinds.length) {
            throw new MetadataException("primitive type tag " + index + " at offset " + at
                    + " is unknown; expected 0.." + (kinds.length - 1));
        }
        return kinds[index];
    }

    private Field field() {
        String name = in.option(ScaleReader::string).orElse("");
        int type = in.compactInt("field type id");
        String typeName = in.option(ScaleReader::string).orElse("");
        docs();
        return new Field(name, type, typeName);
    }

    private VariantCase variant() {
        String name = in.string();
        List<Field> fields = in.vec(r -> field());
        int index = in.u8();
        docs();
        return new VariantCase(name, fields, index);
    }

    private PalletMetadata pallet() {
        String name = in.string();
        List<StorageEntry> storage = in.option(r -> {
            String prefix = r.string();
            return r.vec(e -> storageEntry(prefix));
        }).orElse(List.of());
        OptionalInt calls = optionalTypeId("call");
        OptionalInt events = optionalTypeId("event");
        List<PalletMetadata.Constant> constants = in.vec(r -> {
            PalletMetadata.Constant c = new PalletMetadata.Constant(
                    r.string(), r.compactInt("constant type id"), r.byteVec());
            docs();
            return c;
        });
        OptionalInt errors = optionalTypeId("error");
        int index = in.u8();
        if (version == 15) {
            docs();
        }
        return new PalletMetadata(name, index, storage, calls, events, errors, constants);
    }

    private StorageEntry storageEntry(String prefix) {
        String name = in.string();
        int modifierAt = in.position();
        int modifier = in.u8();
        if (modifier > 1) {
            throw new MetadataException("storage modifier " + modifier + " of " + prefix + "." + name
                    + " at offset " + modifierAt + " is unknown; expected 0 (Optional) or 1 (Default)");
        }
        int kindAt = in.position();
        int kind = in.u8();
        List<StorageHasher> hashers;
        int keyType;
        int valueType;
        if (kind == 0) {
            hashers = List.of();
            keyType = -1;
            valueType = in.compactInt("storage value type id");
        } else if (kind == 1) {
            hashers = in.vec(r -> StorageHasher.fromIndex(r.u8()));
            keyType = in.compactInt("storage key type id");
            valueType = in.compactInt("storage value type id");
        } else {
            throw new MetadataException("storage entry kind " + kind + " of " + prefix + "." + name
                    + " at offset " + kindAt + " is unknown; expected 0 (Plain) or 1 (Map)");
        }
        byte[] defaultValue = in.byteVec();
        docs();
        return new StorageEntry(prefix, name, Modifier.values()[modifier], hashers, keyType, valueType, defaultValue);
    }

    private void skipRuntimeApi() {
        in.string();
        int methods = in.compactInt("runtime api method count");
        for (int m = 0; m < methods; m++) {
            in.string();
            int inputs = in.compactInt("runtime api input count");
            for (int i = 0; i < inputs; i++) {
                in.string();
                in.compactInt("runtime api input type id");
            }
            in.compactInt("runtime api output type id");
            docs();
        }
        docs();
    }

    private OptionalInt optionalTypeId(String what) {
        return in.option(r -> r.compactInt(what + " type id")).map(OptionalInt::of).orElse(OptionalInt.empty());
    }

    private void docs() {
        in.vec(ScaleReader::string);
    }
}
