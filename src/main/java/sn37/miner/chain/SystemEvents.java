package sn37.miner.chain;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import sn37.miner.chain.runtime.PalletMetadata;
import sn37.miner.chain.runtime.RuntimeMetadata;
import sn37.miner.chain.runtime.StorageEntry;
import sn37.miner.chain.runtime.TypeDef;
import sn37.miner.chain.runtime.TypeDef.Field;
import sn37.miner.chain.runtime.TypeDef.VariantCase;
import sn37.miner.chain.runtime.TypeRegistry;
import sn37.miner.chain.scale.ScaleException;
import sn37.miner.chain.scale.ScaleReader;

/**
 * Decodes {@code System.Events} of a block with the runtime's type registry: each record's phase, pallet and
 * event name, and for {@code System.ExtrinsicFailed} the dispatch error, with module errors named from the
 * failing pallet's error enum. Events this client has no use for are skipped by their declared layout.
 */
public final class SystemEvents {

    /** {@code extrinsicIndex} is set for events of phase {@code ApplyExtrinsic}. */
    public record Event(OptionalInt extrinsicIndex, String pallet, String name, Optional<DispatchFailure> failure) {}

    private SystemEvents() {}

    public static List<Event> decode(byte[] events, RuntimeMetadata metadata) {
        TypeRegistry types = metadata.types();
        StorageEntry entry = SubtensorStorage.EVENTS.entry(metadata);
        TypeDef.Sequence seq = (TypeDef.Sequence) types.get(entry.valueType()).def();
        TypeDef.Composite record = (TypeDef.Composite) types.get(seq.elementType()).def();
        ScaleReader in = new ScaleReader(events);
        try {
            List<Event> out = in.vec(r -> {
                OptionalInt phase = OptionalInt.empty();
                Event event = null;
                for (Field f : record.fields()) {
                    switch (f.name()) {
                        case "phase" -> phase = phase(r, types, f.type());
                        case "event" -> event = event(r, metadata, f.type());
                        default -> types.skip(r, f.type());
                    }
                }
                return new Event(phase, event.pallet(), event.name(), event.failure());
            });
            in.expectEnd("System.Events");
            return out;
        } catch (ScaleException | ClassCastException e) {
            throw new ChainException("cannot decode System.Events with this runtime's metadata: " + e.getMessage(), e);
        }
    }

    /** How extrinsic {@code index} of the block ended: empty for success, the failure otherwise. */
    public static Optional<DispatchFailure> outcome(List<Event> events, int index) {
        for (Event e : events) {
            if (e.extrinsicIndex().orElse(-1) == index && e.pallet().equals("System")) {
                if (e.name().equals("ExtrinsicSuccess")) {
                    return Optional.empty();
                }
                if (e.name().equals("ExtrinsicFailed")) {
                    return e.failure();
                }
            }
        }
        throw new ChainException("the block's events have neither ExtrinsicSuccess nor ExtrinsicFailed for extrinsic " + index);
    }

    private static OptionalInt phase(ScaleReader r, TypeRegistry types, int phaseType) {
        VariantCase v = variant(r, types, phaseType);
        if (v.name().equals("ApplyExtrinsic") && v.fields().size() == 1) {
            return OptionalInt.of((int) r.u32());
        }
        v.fields().forEach(f -> types.skip(r, f.type()));
        return OptionalInt.empty();
    }

    private static Event event(ScaleReader r, RuntimeMetadata metadata, int runtimeEventType) {
        TypeRegistry types = metadata.types();
        VariantCase pallet = variant(r, types, runtimeEventType);
        VariantCase event = variant(r, types, pallet.fields().get(0).type());
        Optional<DispatchFailure> failure = Optional.empty();
        List<Field> fields = event.fields();
        int first = 0;
        if (pallet.name().equals("System") && event.name().equals("ExtrinsicFailed")) {
            failure = Optional.of(dispatchError(r, metadata, fields.get(0).type()));
            first = 1;
        }
        for (Field f : fields.subList(first, fields.size())) {
            types.skip(r, f.type());
        }
        return new Event(OptionalInt.empty(), pallet.name(), event.name(), failure);
    }

    /** sp_runtime {@code DispatchError}; {@code Module(ModuleError{index: u8, error: [u8;4]})} names the pallet error. */
    private static DispatchFailure dispatchError(ScaleReader r, RuntimeMetadata metadata, int type) {
        TypeRegistry types = metadata.types();
        VariantCase v = variant(r, types, type);
        if (v.name().equals("Module")) {
            TypeDef.Composite moduleError = (TypeDef.Composite) types.get(v.fields().get(0).type()).def();
            int palletIndex = -1;
            int errorIndex = -1;
            for (Field f : moduleError.fields()) {
                if (f.name().equals("index")) {
                    palletIndex = r.u8();
                } else if (f.name().equals("error")) {
                    int start = r.position();
                    types.skip(r, f.type());
                    errorIndex = r.consumedSince(start)[0] & 0xFF; // the first byte is the variant index
                } else {
                    types.skip(r, f.type());
                }
            }
            return moduleError(metadata, palletIndex, errorIndex);
        }
        String name = v.name();
        for (Field f : v.fields()) {
            if (types.get(f.type()).def() instanceof TypeDef.Variant) {
                VariantCase inner = variant(r, types, f.type());
                name += "::" + inner.name();
                inner.fields().forEach(x -> types.skip(r, x.type()));
            } else {
                types.skip(r, f.type());
            }
        }
        return new DispatchFailure("", name);
    }

    private static DispatchFailure moduleError(RuntimeMetadata metadata, int palletIndex, int errorIndex) {
        Optional<PalletMetadata> pallet = metadata.pallets().stream().filter(p -> p.index() == palletIndex).findFirst();
        if (pallet.isEmpty()) {
            return new DispatchFailure("pallet#" + palletIndex, "error#" + errorIndex);
        }
        String error = pallet.get().errorType().stream()
                .mapToObj(t -> metadata.types().get(t).def())
                .filter(TypeDef.Variant.class::isInstance)
                .map(d -> ((TypeDef.Variant) d).byIndex(errorIndex))
                .flatMap(Optional::stream)
                .map(VariantCase::name)
                .findFirst()
                .orElse("error#" + errorIndex);
        return new DispatchFailure(pallet.get().name(), error);
    }

    private static VariantCase variant(ScaleReader r, TypeRegistry types, int type) {
        int at = r.position();
        int index = r.u8();
        TypeDef.Variant v = (TypeDef.Variant) types.get(type).def();
        return v.byIndex(index).orElseThrow(() -> new ScaleException("variant " + index + " at offset " + at
                + " is not in " + types.describe(type)));
    }
}
