package sn37.miner.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import sn37.miner.chain.runtime.PalletMetadata;
import sn37.miner.chain.runtime.RuntimeMetadata;
import sn37.miner.chain.rpc.RpcClient;
import sn37.miner.chain.scale.Hex;
import sn37.miner.chain.scale.ScaleReader;

/**
 * Typed reads from a Subtensor node: runtime version and metadata (cached per spec version), blocks, storage
 * at a block. Everything goes through one {@link RpcClient} to one endpoint, the one the run's
 * {@code --subtensor.network} / {@code --subtensor.chain_endpoint} name.
 */
public final class SubtensorClient implements AutoCloseable {
    /** Finney's block time, used when the runtime declares none. */
    private static final Duration DEFAULT_BLOCK_TIME = Duration.ofSeconds(12);

    private final RpcClient rpc;
    private final ChainSettings options;
    private RuntimeMetadata metadata;
    private int metadataSpec = -1;
    private String genesis;

    public SubtensorClient(RpcClient rpc, ChainSettings options) {
        this.rpc = rpc;
        this.options = options;
    }

    public static SubtensorClient connect(String endpoint, ChainSettings options) {
        return new SubtensorClient(new RpcClient(endpoint, options.rpc()), options);
    }

    public RpcClient rpc() {
        return rpc;
    }

    public ChainSettings options() {
        return options;
    }

    public String endpoint() {
        return rpc.endpoint();
    }

    public RuntimeVersion runtimeVersion() {
        return RuntimeVersion.from(rpc.call("state_getRuntimeVersion"));
    }

    /** The metadata of the runtime now at the best block. */
    public RuntimeMetadata metadata() {
        return metadata(runtimeVersion());
    }

    public synchronized RuntimeMetadata metadata(RuntimeVersion version) {
        if (metadata == null || metadataSpec != version.specVersion()) {
            metadata = RuntimeMetadata.decode(Hex.decode(text(rpc.call("state_getMetadata"), "state_getMetadata")));
            metadataSpec = version.specVersion();
        }
        return metadata;
    }

    public synchronized String genesisHash() {
        if (genesis == null) {
            genesis = blockHash(0);
        }
        return genesis;
    }

    public BlockRef bestBlock() {
        long number = headerNumber(rpc.call("chain_getHeader"), "best");
        return new BlockRef(number, blockHash(number));
    }

    public BlockRef finalizedBlock() {
        String hash = text(rpc.call("chain_getFinalizedHead"), "chain_getFinalizedHead");
        return block(hash);
    }

    public BlockRef block(String hash) {
        return new BlockRef(headerNumber(rpc.call("chain_getHeader", hash), hash), hash);
    }

    public String blockHash(long number) {
        JsonNode hash = rpc.call("chain_getBlockHash", number);
        if (hash == null || hash.isNull()) {
            throw new ChainException("the node at " + endpoint() + " has no block " + number
                    + " (pruned, or not produced yet); an archive node may be needed");
        }
        return hash.asText().toLowerCase(Locale.ROOT);
    }

    /** The encoded extrinsics of a block, in order: their positions are the {@code ApplyExtrinsic} indices of events. */
    public List<String> blockExtrinsics(String blockHash) {
        JsonNode block = rpc.call("chain_getBlock", blockHash);
        JsonNode extrinsics = block == null ? null : block.path("block").get("extrinsics");
        if (extrinsics == null || !extrinsics.isArray()) {
            throw new ChainException("chain_getBlock(" + blockHash + ") from " + endpoint() + " has no extrinsics list");
        }
        List<String> out = new ArrayList<>();
        extrinsics.forEach(x -> out.add(x.asText().toLowerCase(Locale.ROOT)));
        return out;
    }

    public long accountNextIndex(String ss58) {
        JsonNode n = rpc.call("system_accountNextIndex", ss58);
        if (n == null || !n.canConvertToLong()) {
            throw new ChainException("system_accountNextIndex(" + ss58 + ") returned " + n);
        }
        return n.asLong();
    }

    public Optional<byte[]> storage(byte[] key, BlockRef at) {
        JsonNode value = rpc.call("state_getStorage", Hex.encode(key), at.hash());
        return value == null || value.isNull() ? Optional.empty() : Optional.of(Hex.decode(value.asText()));
    }

    /** Many keys at one block in one request ({@code state_queryStorageAt}); the result is in the keys' order. */
    public List<Optional<byte[]>> storage(List<byte[]> keys, BlockRef at) {
        if (keys.isEmpty()) {
            return List.of();
        }
        List<String> hexKeys = keys.stream().map(Hex::encode).toList();
        JsonNode sets = rpc.call("state_queryStorageAt", hexKeys, at.hash());
        Map<String, JsonNode> changes = new HashMap<>();
        if (sets != null) {
            sets.forEach(set -> set.path("changes").forEach(c -> changes.put(c.get(0).asText().toLowerCase(Locale.ROOT), c.get(1))));
        }
        List<Optional<byte[]>> out = new ArrayList<>();
        for (String k : hexKeys) {
            JsonNode v = changes.get(k);
            out.add(v == null || v.isNull() ? Optional.empty() : Optional.of(Hex.decode(v.asText())));
        }
        return out;
    }

    /** {@code state_call}: runs runtime API {@code function} with SCALE-encoded {@code data} at a block. */
    public byte[] stateCall(String function, byte[] data, BlockRef at) {
        return Hex.decode(text(rpc.call("state_call", function, Hex.encode(data), at.hash()), "state_call " + function));
    }

    /** One typed value (its default for a DEFAULT item; empty only for an absent OPTIONAL item). */
    public <T> Optional<T> read(StorageItem<T> item, BlockRef at, byte[]... encodedKeys) {
        RuntimeMetadata md = metadata();
        return item.decode(md, storage(item.key(md, encodedKeys), at));
    }

    /** One typed value per key tuple, read in one request. */
    public <T> List<Optional<T>> readAll(StorageItem<T> item, BlockRef at, List<byte[][]> keyTuples) {
        RuntimeMetadata md = metadata();
        List<byte[]> keys = keyTuples.stream().map(k -> item.key(md, k)).toList();
        return storage(keys, at).stream().map(v -> item.decode(md, v)).toList();
    }

    /** A pallet constant's SCALE bytes, or empty when the runtime has no such constant. */
    public Optional<byte[]> constant(String pallet, String name) {
        return metadata().pallets().stream().filter(p -> p.name().equals(pallet)).findFirst()
                .flatMap(p -> p.constant(name)).map(PalletMetadata.Constant::value);
    }

    /** {@link ChainSettings#blockTime()}, else {@code Aura.SlotDuration} (ms, u64), else 12 s. */
    public Duration blockTime() {
        if (options.blockTime() != null) {
            return options.blockTime();
        }
        return constant("Aura", "SlotDuration")
                .map(b -> Duration.ofMillis(new ScaleReader(b).u64()))
                .filter(d -> !d.isZero() && !d.isNegative())
                .orElse(DEFAULT_BLOCK_TIME);
    }

    @Override
    public void close() {
        rpc.close();
    }

    private long headerNumber(JsonNode header, String what) {
        JsonNode number = header == null ? null : header.get("number");
        if (number == null || !number.isTextual() || !number.asText().startsWith("0x")) {
            throw new ChainException("chain_getHeader(" + what + ") from " + endpoint() + " has no hex block number: " + header);
        }
        return Long.parseLong(number.asText().substring(2), 16);
    }

    private String text(JsonNode node, String method) {
        if (node == null || !node.isTextual()) {
            throw new ChainException(method + " from " + endpoint() + " returned " + (node == null ? "nothing" : node.getNodeType()));
        }
        return node.asText();
    }
}
