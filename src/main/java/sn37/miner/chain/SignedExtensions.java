package sn37.miner.chain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import sn37.miner.chain.runtime.RuntimeMetadata;
import sn37.miner.chain.runtime.SignedExtensionMetadata;
import sn37.miner.chain.runtime.TypeRegistry;
import sn37.miner.chain.scale.ScaleWriter;

/**
 * The runtime's signed-extension list, restricted to extensions this client can encode. Each one adds
 * its "extra" bytes to the extrinsic and its "additional signed" bytes to the signing payload, in the
 * runtime's order. Building this from the runtime's list refuses any extension not known here, so a
 * runtime upgrade that adds one fails loudly instead of producing extrinsics the chain rejects.
 */
public final class SignedExtensions {
    private final List<Known> extensions;

    private SignedExtensions(List<Known> extensions) {
        this.extensions = List.copyOf(extensions);
    }

    /** Accepts the identifiers in the runtime's order, or names the first one this client cannot encode. */
    public static SignedExtensions check(List<String> identifiers) {
        List<Known> known = new ArrayList<>();
        for (String identifier : identifiers) {
            known.add(Arrays.stream(Known.values())
                    .filter(k -> k.identifier.equals(identifier))
                    .findFirst()
                    .orElseThrow(() -> new UnsupportedExtensionException("the runtime requires signed extension '"
                            + identifier + "', which this client cannot encode; known: " + knownNames())));
        }
        return new SignedExtensions(known);
    }

    /** Like {@link #check(List)}, and also checks each extension's extra and additional types against what is encoded here. */
    public static SignedExtensions fromMetadata(RuntimeMetadata metadata) {
        SignedExtensions checked = check(metadata.signedExtensionIdentifiers());
        TypeRegistry types = metadata.types();
        for (int i = 0; i < checked.extensions.size(); i++) {
            Known known = checked.extensions.get(i);
            SignedExtensionMetadata declared = metadata.signedExtensions().get(i);
            String extra = types.describe(declared.extraType());
            String additional = types.describe(declared.additionalType());
            if (!known.extraShapes.contains(extra) || !known.additionalShape.equals(additional)) {
                throw new UnsupportedExtensionException("signed extension '" + known.identifier
                        + "' has extra " + extra + " and additional " + additional + " in this runtime; this client encodes extra "
                        + String.join(" or ", known.extraShapes) + " and additional " + known.additionalShape);
            }
        }
        return checked;
    }

    public List<String> identifiers() {
        return extensions.stream().map(k -> k.identifier).toList();
    }

    /** The bytes that go into the extrinsic after the signature. */
    public byte[] extra(TransactionParams params) {
        ScaleWriter out = new ScaleWriter();
        extensions.forEach(k -> k.extra.accept(out, params));
        return out.toByteArray();
    }

    /** The bytes that are signed but not sent ("additional signed"). */
    public byte[] additional(TransactionParams params) {
        ScaleWriter out = new ScaleWriter();
        extensions.forEach(k -> k.additional.accept(out, params));
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return "SignedExtensions" + identifiers();
    }

    private static String knownNames() {
        return Arrays.stream(Known.values()).map(k -> k.identifier).collect(Collectors.joining(", "));
    }

    /** Raised when the runtime's extension list or types differ from what this client encodes. */
    public static final class UnsupportedExtensionException extends RuntimeException {
        public UnsupportedExtensionException(String message) {
            super(message);
        }
    }

    private enum Known {
        CHECK_NON_ZERO_SENDER("CheckNonZeroSender", "()", "()", none(), none()),
        CHECK_SPEC_VERSION("CheckSpecVersion", "()", "u32", none(), (w, p) -> w.u32(Integer.toUnsignedLong(p.specVersion()))),
        CHECK_TX_VERSION("CheckTxVersion", "()", "u32", none(), (w, p) -> w.u32(Integer.toUnsignedLong(p.transactionVersion()))),
        CHECK_GENESIS("CheckGenesis", "()", "[u8;32]", none(), (w, p) -> w.raw(p.genesisHash())),
        CHECK_MORTALITY("CheckMortality", "Era", "[u8;32]", (w, p) -> w.raw(p.era().encode()), (w, p) -> w.raw(p.eraBlockHash())),
        CHECK_ERA("CheckEra", "Era", "[u8;32]", (w, p) -> w.raw(p.era().encode()), (w, p) -> w.raw(p.eraBlockHash())),
        CHECK_NONCE("CheckNonce", "Compact<u32>", "()", (w, p) -> w.compact(p.nonce()), none()),
        CHECK_WEIGHT("CheckWeight", "()", "()", none(), none()),
        CHARGE_TRANSACTION_PAYMENT("ChargeTransactionPayment", Set.of("Compact<u64>", "Compact<u128>"), "()",
                (w, p) -> w.compact(p.tip()), none()),
        SUBTENSOR_SIGNED_EXTENSION("SubtensorSignedExtension", "()", "()", none(), none()),
        COMMITMENTS_SIGNED_EXTENSION("CommitmentsSignedExtension", "()", "()", none(), none()),
        SUBTENSOR_TRANSACTION_EXTENSION("SubtensorTransactionExtension", "()", "()", none(), none()),
        DRAND_PRIORITY("DrandPriority", "()", "()", none(), none()),
        // frame-metadata-hash-extension: mode 0 = Disabled, so the additional data is None.
        CHECK_METADATA_HASH("CheckMetadataHash", "Mode", "Option<[u8;32]>", (w, p) -> w.u8(0), (w, p) -> w.u8(0));

        private final String identifier;
        private final Set<String> extraShapes;
        private final String additionalShape;
        private final BiConsumer<ScaleWriter, TransactionParams> extra;
        private final BiConsumer<ScaleWriter, TransactionParams> additional;

        Known(String identifier, String extraShape, String additionalShape,
                BiConsumer<ScaleWriter, TransactionParams> extra, BiConsumer<ScaleWriter, TransactionParams> additional) {
            this(identifier, Set.of(extraShape), additionalShape, extra, additional);
        }

        Known(String identifier, Set<String> extraShapes, String additionalShape,
                BiConsumer<ScaleWriter, TransactionParams> extra, BiConsumer<ScaleWriter, TransactionParams> additional) {
            this.identifier = identifier;
            this.extraShapes = extraShapes;
            this.additionalShape = additionalShape;
            this.extra = extra;
            this.additional = additional;
        }

        private static BiConsumer<ScaleWriter, TransactionParams> none() {
            return (w, p) -> {};
        }
    }
}
