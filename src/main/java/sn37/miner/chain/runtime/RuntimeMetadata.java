package sn37.miner.chain.runtime;

import java.util.List;
import java.util.stream.Collectors;
import sn37.miner.chain.runtime.TypeDef.VariantCase;
import sn37.miner.chain.scale.ScaleException;
import sn37.miner.chain.scale.ScaleReader;

/**
 * The parts of a runtime's metadata a transacting client needs: pallet and call indices, storage
 * layouts, constants, the type registry and the signed-extension list.
 */
public final class RuntimeMetadata {
    private static final long MAGIC = 0x6174656dL; // "meta", little-endian

    private final int version;
    private final TypeRegistry types;
    private final List<PalletMetadata> pallets;
    private final int extrinsicVersion;
    private final List<SignedExtensionMetadata> signedExtensions;

    RuntimeMetadata(int version, TypeRegistry types, List<PalletMetadata> pallets, int extrinsicVersion,
            List<SignedExtensionMetadata> signedExtensions) {
        this.version = version;
        this.types = types;
        this.pallets = List.copyOf(pallets);
        this.extrinsicVersion = extrinsicVersion;
        this.signedExtensions = List.copyOf(signedExtensions);
    }

    /** Decodes prefixed metadata ({@code "meta"}, version byte 14 or 15, body), as {@code state_getMetadata} returns it. */
    public static RuntimeMetadata decode(byte[] bytes) {
        ScaleReader in = new ScaleReader(bytes);
        try {
            long magic = in.u32();
            if (magic != MAGIC) {
                throw new MetadataException(String.format(
                        "metadata starts with 0x%08x; expected the magic \"meta\" (0x6d657461)", Integer.reverseBytes((int) magic)));
            }
            int version = in.u8();
            if (version != 14 && version != 15) {
                throw new MetadataException("metadata version " + version + " is not supported; expected 14 or 15");
            }
            RuntimeMetadata metadata = MetadataDecoder.decode(in, version);
            in.expectEnd("runtime metadata V" + version);
            return metadata;
        } catch (ScaleException e) {
            throw new MetadataException("runtime metadata is malformed: " + e.getMessage(), e);
        }
    }

    /**
     * Decodes the result of {@code state_call("Metadata_metadata_at_version", u32)}: an
     * {@code Option<OpaqueMetadata>} that is None when the runtime lacks that version.
     */
    public static RuntimeMetadata decodeMetadataAtVersion(byte[] bytes) {
        ScaleReader in = new ScaleReader(bytes);
        try {
            byte[] opaque = in.option(ScaleReader::byteVec).orElseThrow(() -> new MetadataException(
                    "Metadata_metadata_at_version returned None: the runtime does not offer the requested version"));
            in.expectEnd("Option<OpaqueMetadata>");
            return decode(opaque);
        } catch (ScaleException e) {
            throw new MetadataException("Metadata_metadata_at_version result is malformed: " + e.getMessage(), e);
        }
    }

    public int version() {
        return version;
    }

    public TypeRegistry types() {
        return types;
    }

    public List<PalletMetadata> pallets() {
        return pallets;
    }

    public int extrinsicVersion() {
        return extrinsicVersion;
    }

    public List<SignedExtensionMetadata> signedExtensions() {
        return signedExtensions;
    }

    public List<String> signedExtensionIdentifiers() {
        return signedExtensions.stream().map(SignedExtensionMetadata::identifier).toList();
    }

    public PalletMetadata pallet(String name) {
        return pallets.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(() -> new MetadataException(
                "pallet " + name + " is not in the runtime; it has " + pallets.stream()
                        .map(PalletMetadata::name).collect(Collectors.joining(", "))));
    }

    /** The call variant (name, argument fields, index) of {@code pallet.call}. */
    public VariantCase call(String pallet, String call) {
        PalletMetadata p = pallet(pallet);
        int callType = p.callType().orElseThrow(() -> new MetadataException("pallet " + pallet + " has no calls"));
        if (!(types.get(callType).def() instanceof TypeDef.Variant calls)) {
            throw new MetadataException("the call type of pallet " + pallet + " (type " + callType + ") is not an enum");
        }
        return calls.byName(call).orElseThrow(() -> new MetadataException("call " + pallet + "." + call
                + " is not in the runtime; the pallet has " + calls.variants().stream()
                        .map(VariantCase::name).collect(Collectors.joining(", "))));
    }

    public CallIndex callIndex(String pallet, String call) {
        return new CallIndex(pallet(pallet).index(), call(pallet, call).index());
    }

    public StorageEntry storageEntry(String pallet, String item) {
        PalletMetadata p = pallet(pallet);
        return p.storageEntry(item).orElseThrow(() -> new MetadataException("storage item " + pallet + "." + item
                + " is not in the runtime; the pallet has " + p.storage().stream()
                        .map(StorageEntry::name).collect(Collectors.joining(", "))));
    }

    /** The SCALE-encoded value of a pallet constant, e.g. {@code Commitments.MaxFields}. */
    public byte[] constant(String pallet, String name) {
        return pallet(pallet).constant(name).orElseThrow(() -> new MetadataException(
                "constant " + pallet + "." + name + " is not in the runtime")).value();
    }

    @Override
    public String toString() {
        return "RuntimeMetadata[V" + version + ", " + pallets.size() + " pallets, " + types.size() + " types]";
    }
}
