package sn37.miner.fake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import sn37.miner.chain.CommitmentInfo;
import sn37.miner.chain.Data;
import sn37.miner.chain.Registration;
import sn37.miner.chain.StorageKey;
import sn37.miner.chain.crypto.Hashing;
import sn37.miner.chain.crypto.Sr25519;
import sn37.miner.chain.runtime.RuntimeMetadata;
import sn37.miner.chain.runtime.StorageEntry;
import sn37.miner.chain.runtime.TypeDef;
import sn37.miner.chain.runtime.TypeDef.VariantCase;
import sn37.miner.chain.scale.Hex;
import sn37.miner.chain.scale.ScaleReader;
import sn37.miner.chain.scale.ScaleWriter;
import sn37.miner.chain.scale.VariantSkipper;
import sn37.miner.fake.FakeSubtensorExtrinsic.Refused;

/**
 * The state machine behind {@link FakeSubtensor}: blocks with storage snapshots, a transaction pool, and the
 * slice of runtime logic SN37 touches, written from pallet_commitments {@code set_commitment} (subtensor
 * 4b237eae^ for the block rate limit of spec 218, 14bc6f9f for the space budget) and frame_system's checks.
 * Pool validation verifies every sr25519 signature over {@code call ‖ extra ‖ additional} built from this node's
 * own view (versions, genesis, era birth block hash). Events are SCALE-encoded with the indices the runtime's
 * metadata declares; for the recorded scenario they are byte-identical to chopsticks-e2e.json.
 */
final class FakeSubtensorChain {
    enum Runtime {
        RAONET_218("raonet-spec218-metadata-v14.hex"),
        FINNEY_343("finney-spec343-metadata-v14.hex");

        final String metadataFile;

        Runtime(String metadataFile) {
            this.metadataFile = metadataFile;
        }
    }

    record Block(long number, String hash, String parentHash, List<byte[]> extrinsics, Map<String, byte[]> state) {}

    /** Weights chopsticks recorded for spec 218 (timestamp inherent, set_commitment). */
    private static final long[] INHERENT_WEIGHT = {265_758_000L, 1493L};
    private static final long[] COMMIT_WEIGHT = {385_074_000L, 6344L};
    private static final int MANDATORY = 2;
    private static final int OPERATIONAL = 1;
    private static final int PAYS_YES = 0;
    private static final int PAYS_NO = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    final Runtime runtime;
    final RuntimeMetadata metadata;
    final String metadataHex;
    final int specVersion;
    final int transactionVersion;
    final ObjectNode runtimeVersion;
    final String genesisHash;
    private final Map<Long, Block> blocks = new HashMap<>();
    private final Map<String, Block> byHash = new HashMap<>();
    private final Map<Long, String> scriptedHashes;
    private final List<FakeSubtensorExtrinsic> pool = new ArrayList<>();
    private Map<String, byte[]> state = new HashMap<>();
    private long best;
    private long finalized;
    private long moment = 1_700_000_000_000L;
    private String forcedError;

    FakeSubtensorChain(Runtime runtime, long startBlock, String genesisHash, Map<Long, String> scriptedHashes,
            UnaryOperator<String> metadataPatch) {
        this.runtime = runtime;
        this.metadataHex = metadataPatch.apply(resource(runtime.metadataFile).strip());
        this.metadata = RuntimeMetadata.decode(Hex.decode(metadataHex));
        this.scriptedHashes = new HashMap<>(scriptedHashes);
        this.genesisHash = genesisHash;
        ScaleReader version = new ScaleReader(metadata.constant("System", "Version"));
        runtimeVersion = JSON.createObjectNode().put("specName", version.string()).put("implName", version.string())
                .put("authoringVersion", version.u32());
        specVersion = (int) version.u32();
        runtimeVersion.put("specVersion", specVersion).put("implVersion", version.u32());
        ArrayNode apis = runtimeVersion.putArray("apis");
        version.vec(r -> apis.addArray().add(Hex.encode(r.bytes(8))).add(r.u32()));
        transactionVersion = (int) version.u32();
        runtimeVersion.put("transactionVersion", transactionVersion).put("stateVersion", version.u8());
        // Genesis, then the last 80 blocks up to startBlock (enough for any era birth), all with empty state.
        addBlock(new Block(0, genesisHash, "0x" + "00".repeat(32), List.of(), Map.of()));
        for (long n = Math.max(1, startBlock - 80); n <= startBlock; n++) {
            String parent = n == 1 || blocks.get(n - 1) == null ? genesisHash : blocks.get(n - 1).hash();
            addBlock(new Block(n, hashFor(n, parent, List.of()), parent, List.of(), Map.of()));
        }
        best = startBlock;
        finalized = startBlock;
    }

    // ---- reads ----

    long best() {
        return best;
    }

    long finalizedNumber() {
        return finalized;
    }

    Optional<Block> block(long number) {
        return Optional.ofNullable(blocks.get(number));
    }

    Optional<Block> block(String hash) {
        return Optional.ofNullable(byHash.get(hash.toLowerCase()));
    }

    Block bestBlock() {
        return blocks.get(best);
    }

    /** Storage of the working state (the best block plus test seeds). */
    Optional<byte[]> storage(String keyHex) {
        return Optional.ofNullable(state.get(keyHex.toLowerCase()));
    }

    Optional<byte[]> storageAt(Block block, String keyHex) {
        Map<String, byte[]> s = block.number() == best ? state : block.state();
        return Optional.ofNullable(s.get(keyHex.toLowerCase()));
    }

    long accountNonce(byte[] account) {
        return storage(key("System", "Account", account)).map(v -> new ScaleReader(v).u32()).orElse(0L);
    }

    long nextIndex(byte[] account) {
        return accountNonce(account) + pool.stream().filter(x -> Arrays.equals(x.signer(), account)).count();
    }

    List<FakeSubtensorExtrinsic> pool() {
        return List.copyOf(pool);
    }

    // ---- writes by tests ----

    void put(String keyHex, byte[] value) {
        state.put(keyHex.toLowerCase(), value.clone());
    }

    void remove(String keyHex) {
        state.remove(keyHex.toLowerCase());
    }

    /** frame_system AccountInfo with one provider, so CheckNonce accepts the account. */
    void ensureAccount(byte[] account) {
        String key = key("System", "Account", account);
        if (storage(key).isEmpty()) {
            put(key, accountInfo(0));
        }
    }

    void forceNextDispatchError(String commitmentsError) {
        forcedError = commitmentsError;
    }

    String key(String pallet, String item, byte[]... encodedKeys) {
        StorageEntry entry = metadata.storageEntry(pallet, item);
        return Hex.encode(StorageKey.of(entry, encodedKeys));
    }

    boolean hasStorage(String pallet, String item) {
        return metadata.pallet(pallet).storageEntry(item).isPresent();
    }

    // ---- the pool ----

    /** Validates like the pool at the best block; the signature check comes first, as in FRAME's Checkable. */
    FakeSubtensorExtrinsic validate(byte[] encoded) throws Refused {
        FakeSubtensorExtrinsic x = FakeSubtensorExtrinsic.decode(encoded, metadata.signedExtensionIdentifiers());
        long birth = x.era().birth(best);
        Block birthBlock = blocks.get(birth);
        if (birthBlock == null) {
            throw Refused.invalid("ancientBirthBlock");
        }
        ScaleWriter additional = new ScaleWriter();
        for (String id : metadata.signedExtensionIdentifiers()) {
            switch (id) {
                case "CheckSpecVersion" -> additional.u32(specVersion);
                case "CheckTxVersion" -> additional.u32(transactionVersion);
                case "CheckGenesis" -> additional.raw(Hex.decode(genesisHash));
                case "CheckMortality", "CheckEra" -> additional.raw(Hex.decode(birthBlock.hash()));
                case "CheckMetadataHash" -> additional.u8(0);
                default -> { }
            }
        }
        byte[] payload = concat(x.call(), x.extra(), additional.toByteArray());
        byte[] message = payload.length > 256 ? Hashing.blake2_256(payload) : payload;
        if (!Sr25519.verify(x.signer(), message, x.signature())) {
            throw Refused.invalid("badProof");
        }
        if (storage(key("System", "Account", x.signer())).isEmpty()) {
            throw Refused.invalid("payment");
        }
        long expected = nextIndex(x.signer());
        if (x.nonce() < accountNonce(x.signer())) {
            throw Refused.invalid("stale");
        }
        if (pool.stream().anyMatch(p -> Arrays.equals(p.encoded(), encoded))) {
            throw new Refused(1013, "Transaction Already Imported");
        }
        if (x.nonce() < expected) {
            throw new Refused(1014, "Priority is too low: (0 vs 0)");
        }
        if (x.nonce() > expected) {
            throw Refused.invalid("future");
        }
        byte[] call = x.call();
        if (call.length < 2 || (call[0] & 0xFF) != metadata.pallet("Commitments").index()
                || (call[1] & 0xFF) != metadata.call("Commitments", "set_commitment").index()) {
            throw Refused.invalid("call");
        }
        setCommitmentArgs(call);
        return x;
    }

    void submit(FakeSubtensorExtrinsic x) {
        pool.add(x);
    }

    // ---- blocks ----

    /** Builds the next block from the pool (after a timestamp inherent) and returns it. */
    Block produceBlock() {
        long number = best + 1;
        String parent = blocks.get(best).hash();
        List<byte[]> extrinsics = new ArrayList<>();
        ScaleWriter events = new ScaleWriter();
        int eventCount = 0;
        extrinsics.add(timestampInherent());
        eventCount += event(events, 0, "System", "ExtrinsicSuccess", w -> dispatchInfo(w, INHERENT_WEIGHT, MANDATORY, PAYS_YES));
        for (FakeSubtensorExtrinsic x : pool) {
            int index = extrinsics.size();
            extrinsics.add(x.encoded());
            eventCount += apply(x, index, number, events);
        }
        pool.clear();
        byte[] eventBytes = concat(new ScaleWriter().compact(eventCount).toByteArray(), events.toByteArray());
        state.put(key("System", "Events"), eventBytes);
        Block block = new Block(number, hashFor(number, parent, extrinsics), parent, List.copyOf(extrinsics), Map.copyOf(state));
        addBlock(block);
        state = new HashMap<>(state);
        best = number;
        return block;
    }

    /** Finalizes up to the best block; returns the newly final blocks, oldest first. */
    List<Block> finalizeAll() {
        List<Block> done = new ArrayList<>();
        for (long n = finalized + 1; n <= best; n++) {
            done.add(blocks.get(n));
        }
        finalized = best;
        return done;
    }

    private int apply(FakeSubtensorExtrinsic x, int index, long number, ScaleWriter events) {
        byte[] who = x.signer();
        put(key("System", "Account", who), accountInfo(accountNonce(who) + 1));
        ScaleReader args = new ScaleReader(x.call());
        args.skip(2);
        int netuid = args.u16();
        CommitmentInfo info = CommitmentInfo.decode(args, VariantSkipper.NONE);
        String error = dispatchSetCommitment(who, netuid, info, number);
        // Event order as chopsticks recorded it: the pallet's event, the fee, then the dispatch outcome.
        int count = 0;
        if (error == null) {
            count += event(events, index, "Commitments", "Commitment", w -> w.u16(netuid).raw(who));
        }
        count += event(events, index, "TransactionPayment", "TransactionFeePaid", w -> w.raw(who).u64(0).u64(0));
        if (error != null) {
            return count + event(events, index, "System", "ExtrinsicFailed", w -> {
                moduleError(w, "Commitments", error);
                dispatchInfo(w, COMMIT_WEIGHT, OPERATIONAL, PAYS_NO);
            });
        }
        return count + event(events, index, "System", "ExtrinsicSuccess", w -> dispatchInfo(w, COMMIT_WEIGHT, OPERATIONAL, PAYS_NO));
    }

    /** pallet_commitments set_commitment; returns the Error variant name, or null on success. */
    private String dispatchSetCommitment(byte[] who, int netuid, CommitmentInfo info, long number) {
        byte[] net = u16(netuid);
        if (forcedError != null) {
            String e = forcedError;
            forcedError = null;
            return e;
        }
        if (storage(key("SubtensorModule", "Uids", net, who)).isEmpty()) {
            return "AccountNotAllowedCommit";
        }
        long maxFields = new ScaleReader(metadata.constant("Commitments", "MaxFields")).u32();
        if (info.fields().size() > maxFields) {
            return "TooManyFieldsInCommitmentInfo";
        }
        if (hasStorage("Commitments", "UsedSpaceOf")) {
            int tempo = storage(key("SubtensorModule", "Tempo", net)).map(v -> new ScaleReader(v).u16())
                    .orElseGet(() -> new ScaleReader(metadata.storageEntry("SubtensorModule", "Tempo").defaultValue()).u16());
            long epoch = (number + netuid + 1) / (tempo + 1L);
            long required = Math.max(100, info.fields().stream().mapToLong(FakeSubtensorChain::spaceOf).sum());
            String usageKey = key("Commitments", "UsedSpaceOf", net, who);
            long used = storage(usageKey).map(ScaleReader::new).filter(r -> r.u64() == epoch).map(ScaleReader::u64).orElse(0L);
            long max = storage(key("Commitments", "MaxSpace")).map(v -> new ScaleReader(v).u32())
                    .orElseGet(() -> new ScaleReader(metadata.storageEntry("Commitments", "MaxSpace").defaultValue()).u32());
            if (used + required > max) {
                return "SpaceLimitExceeded";
            }
            put(usageKey, new ScaleWriter().u64(epoch).u64(used + required).toByteArray());
        } else {
            long limit = new ScaleReader(metadata.constant("Commitments", "RateLimit")).u32();
            Optional<byte[]> last = storage(key("Commitments", "LastCommitment", net, who));
            if (last.isPresent() && number < new ScaleReader(last.get()).u32() + limit) {
                return "CommitmentSetRateLimitExceeded";
            }
        }
        put(key("Commitments", "CommitmentOf", net, who), new Registration(0, number, info).encode());
        put(key("Commitments", "LastCommitment", net, who), new ScaleWriter().u32(number).toByteArray());
        return null;
    }

    private static long spaceOf(Data field) {
        if (field instanceof Data.Raw raw) {
            return raw.bytes().length;
        }
        return field instanceof Data.None ? 0 : 32;
    }

    private void setCommitmentArgs(byte[] call) throws Refused {
        ScaleReader args = new ScaleReader(call);
        try {
            args.skip(2);
            args.u16();
            CommitmentInfo.decode(args, VariantSkipper.NONE);
            args.expectEnd("set_commitment arguments");
        } catch (RuntimeException e) {
            throw new Refused(1002, "Verification Error: cannot decode set_commitment: " + e.getMessage());
        }
    }

    // ---- event encoding, by the indices the metadata declares ----

    private interface Fields {
        void write(ScaleWriter w);
    }

    private int event(ScaleWriter out, int extrinsicIndex, String pallet, String name, Fields fields) {
        TypeDef.Composite record = eventRecord();
        VariantCase applyExtrinsic = variantByName(record.fields().get(0).type(), "ApplyExtrinsic");
        VariantCase palletVariant = variantByName(record.fields().get(1).type(), pallet);
        VariantCase eventVariant = variantByName(palletVariant.fields().get(0).type(), name);
        out.u8(applyExtrinsic.index()).u32(extrinsicIndex).u8(palletVariant.index()).u8(eventVariant.index());
        fields.write(out);
        out.compact(0); // no topics
        return 1;
    }

    private void moduleError(ScaleWriter w, String pallet, String error) {
        int systemEvents = variantByName(eventRecord().fields().get(1).type(), "System").fields().get(0).type();
        VariantCase failed = variantByName(systemEvents, "ExtrinsicFailed");
        VariantCase module = variantByName(failed.fields().get(0).type(), "Module");
        int errorType = metadata.pallet(pallet).errorType().orElseThrow();
        int errorIndex = ((TypeDef.Variant) metadata.types().get(errorType).def()).byName(error).orElseThrow().index();
        w.u8(module.index()).u8(metadata.pallet(pallet).index()).raw(new byte[] {(byte) errorIndex, 0, 0, 0});
    }

    private static void dispatchInfo(ScaleWriter w, long[] weight, int dispatchClass, int pays) {
        w.compact(weight[0]).compact(weight[1]).u8(dispatchClass).u8(pays);
    }

    private TypeDef.Composite eventRecord() {
        TypeDef.Sequence seq = (TypeDef.Sequence) metadata.types()
                .get(metadata.storageEntry("System", "Events").valueType()).def();
        return (TypeDef.Composite) metadata.types().get(seq.elementType()).def();
    }

    private VariantCase variantByName(int type, String name) {
        return ((TypeDef.Variant) metadata.types().get(type).def()).byName(name)
                .orElseThrow(() -> new IllegalStateException("the fake cannot find variant " + name + " in "
                        + metadata.types().describe(type)));
    }

    private byte[] timestampInherent() {
        moment += 12_000;
        byte[] body = new ScaleWriter().u8(0x04).u8(metadata.pallet("Timestamp").index())
                .u8(metadata.call("Timestamp", "set").index()).compact(moment).toByteArray();
        return new ScaleWriter().bytes(body).toByteArray();
    }

    // ---- helpers ----

    private void addBlock(Block b) {
        blocks.put(b.number(), b);
        byHash.put(b.hash(), b);
    }

    private String hashFor(long number, String parent, List<byte[]> extrinsics) {
        String scripted = scriptedHashes.get(number);
        if (scripted != null) {
            return scripted.toLowerCase();
        }
        ScaleWriter w = new ScaleWriter().raw(Hex.decode(parent)).u32(number);
        extrinsics.forEach(w::raw);
        return Hex.encode(Hashing.blake2_256(w.toByteArray()));
    }

    static byte[] accountInfo(long nonce) {
        // nonce, consumers, providers = 1, sufficients, then free/reserved/frozen u64 and flags u128.
        return new ScaleWriter().u32(nonce).u32(0).u32(1).u32(0).u64(1_000_000_000_000L).u64(0).u64(0)
                .raw(new byte[16]).toByteArray();
    }

    static byte[] u16(int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8)};
    }

    static byte[] concat(byte[]... parts) {
        ScaleWriter w = new ScaleWriter();
        for (byte[] p : parts) {
            w.raw(p);
        }
        return w.toByteArray();
    }

    private static String resource(String name) {
        try (InputStream in = FakeSubtensorChain.class.getResourceAsStream("/chain/" + name)) {
            if (in == null) {
                throw new IllegalStateException("test resource /chain/" + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
