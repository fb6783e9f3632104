package sn37.miner.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import sn37.miner.chain.CommitmentInfo;
import sn37.miner.chain.Data;
import sn37.miner.chain.Registration;
import sn37.miner.chain.crypto.Hashing;
import sn37.miner.chain.scale.Hex;
import sn37.miner.chain.scale.ScaleReader;
import sn37.miner.chain.scale.ScaleWriter;
import sn37.miner.fake.FakeSubtensorChain.Block;
import sn37.miner.fake.FakeSubtensorExtrinsic.Refused;
import sn37.miner.fake.FakeSubtensorRpc.RpcFault;

/**
 * A Subtensor node on 127.0.0.1 speaking JSON-RPC 2.0 over WebSocket, strict about frames and parameters (every
 * violation is answered with the JSON-RPC error and recorded in {@link #violations()}). It runs a real runtime's
 * metadata (spec 218 of chopsticks-e2e.json, or finney spec 343), keeps storage per block, decodes every submitted
 * extrinsic and verifies its sr25519 signature (1010 badProof otherwise), applies {@code set_commitment} with that
 * runtime's rate limit, and can inject faults: dispatch errors, a connection dropped after inclusion or instead
 * of the submit answer, refused connections, stalled finality.
 */
public final class FakeSubtensor implements Closeable {
    public enum Runtime {
        RAONET_218(FakeSubtensorChain.Runtime.RAONET_218),
        FINNEY_343(FakeSubtensorChain.Runtime.FINNEY_343);

        final FakeSubtensorChain.Runtime chain;

        Runtime(FakeSubtensorChain.Runtime chain) {
            this.chain = chain;
        }
    }

    /** Chopsticks in genesis mode reports this genesis hash (chopsticks-e2e.json note_genesis). */
    public static final String CHOPSTICKS_GENESIS = "0x" + "45".repeat(32);
    /** Finney's genesis hash (chain fixtures README). */
    public static final String FINNEY_GENESIS = "0x2f0555cc76fc2840a25a6ea3b9637146806f1f44b090c175ffde2a7e5ab36c03";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private record Watch(Connection connection, String subscription) {}

    /** Points in a submission's life where {@link #onNext} runs an action (a crash test kills the client there). */
    public enum Moment {
        /** The extrinsic is in the pool; its answer is not sent yet. */
        SUBMITTED,
        /** Its block is made and the inBlock update sent; finality not yet reached. */
        INCLUDED,
        /** Its block is finalized on chain; the finalized update not sent yet. */
        FINALIZED
    }

    private final MockWebServer server = new MockWebServer();
    private final FakeSubtensorChain chain;
    private final FakeSubtensorRpc rpc;
    private final ExecutorService producer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fake-subtensor-blocks");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Watch> watches = new HashMap<>();
    private final List<Connection> connections = new ArrayList<>();
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final List<String> submitted = new ArrayList<>();
    private final Map<Moment, Runnable> actions = new java.util.EnumMap<>(Moment.class);
    private int subscriptionCounter;
    private boolean online = true;
    private boolean autoBlocks = true;
    private boolean stallFinality;
    private boolean dropAfterInclusion;
    private boolean dropOnSubmit;
    private boolean offlineAfterDrop;

    private FakeSubtensor(FakeSubtensorChain chain) {
        this.chain = chain;
        this.rpc = new FakeSubtensorRpc(chain);
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return upgrade(request);
            }
        });
    }

    /** A node of {@code runtime} whose best and finalized block is {@code startBlock}. */
    public static FakeSubtensor start(Runtime runtime, long startBlock) throws IOException {
        return start(runtime, startBlock, FINNEY_GENESIS, Map.of());
    }

    /** With a given genesis hash and fixed hashes for some block numbers (to replay recorded extrinsics). */
    public static FakeSubtensor start(Runtime runtime, long startBlock, String genesisHash, Map<Long, String> blockHashes)
            throws IOException {
        return start(runtime, startBlock, genesisHash, blockHashes, UnaryOperator.identity());
    }

    /** A node whose metadata (hex) is first rewritten by {@code metadataPatch}: a runtime upgrade, as tests need it. */
    public static FakeSubtensor start(Runtime runtime, long startBlock, UnaryOperator<String> metadataPatch) throws IOException {
        return start(runtime, startBlock, FINNEY_GENESIS, Map.of(), metadataPatch);
    }

    private static FakeSubtensor start(Runtime runtime, long startBlock, String genesisHash, Map<Long, String> blockHashes,
            UnaryOperator<String> metadataPatch) throws IOException {
        FakeSubtensor node = new FakeSubtensor(
                new FakeSubtensorChain(runtime.chain, startBlock, genesisHash, blockHashes, metadataPatch));
        node.server.start(InetAddress.getByName("127.0.0.1"), 0);
        return FakeViolations.watch(node, node::violations);
    }

    public String endpoint() {
        return "ws://127.0.0.1:" + server.getPort();
    }

    @Override
    public void close() {
        producer.shutdownNow();
        server.close();
    }

    // ---- state, for tests ----

    /** Registers {@code hotkey} as {@code uid} of {@code netuid} (Uids, Keys, SubnetworkN) and gives it an account. */
    public synchronized void registerNeuron(int netuid, int uid, byte[] hotkey) {
        byte[] net = FakeSubtensorChain.u16(netuid);
        chain.put(chain.key("SubtensorModule", "Uids", net, hotkey), FakeSubtensorChain.u16(uid));
        chain.put(chain.key("SubtensorModule", "Keys", net, FakeSubtensorChain.u16(uid)), hotkey);
        String nKey = chain.key("SubtensorModule", "SubnetworkN", net);
        int n = chain.storage(nKey).map(v -> new ScaleReader(v).u16()).orElse(0);
        chain.put(nKey, FakeSubtensorChain.u16(Math.max(n, uid + 1)));
        chain.ensureAccount(hotkey);
    }

    public synchronized void setIncentive(int netuid, List<Integer> incentive) {
        chain.put(chain.key("SubtensorModule", "Incentive", FakeSubtensorChain.u16(netuid)),
                new ScaleWriter().vec(incentive, ScaleWriter::u16).toByteArray());
    }

    public synchronized void setValidatorPermit(int netuid, List<Boolean> permits) {
        chain.put(chain.key("SubtensorModule", "ValidatorPermit", FakeSubtensorChain.u16(netuid)),
                new ScaleWriter().vec(permits, ScaleWriter::bool).toByteArray());
    }

    public synchronized void setAlphaStake(byte[] hotkey, int netuid, long rao) {
        chain.put(chain.key("SubtensorModule", "TotalHotkeyAlpha", hotkey, FakeSubtensorChain.u16(netuid)),
                new ScaleWriter().u64(rao).toByteArray());
    }

    public synchronized void setTempo(int netuid, int tempo) {
        chain.put(chain.key("SubtensorModule", "Tempo", FakeSubtensorChain.u16(netuid)), FakeSubtensorChain.u16(tempo));
    }

    /** Writes {@code CommitmentOf} as another miner (or an earlier run) left it. */
    public synchronized void setCommitment(int netuid, byte[] hotkey, long block, Data... fields) {
        setCommitmentBytes(netuid, hotkey, new Registration(0, block, CommitmentInfo.of(fields)).encode());
    }

    public synchronized void setCommitmentBytes(int netuid, byte[] hotkey, byte[] registration) {
        chain.put(chain.key("Commitments", "CommitmentOf", FakeSubtensorChain.u16(netuid), hotkey), registration);
    }

    public synchronized void setLastCommitment(int netuid, byte[] hotkey, long block) {
        chain.put(chain.key("Commitments", "LastCommitment", FakeSubtensorChain.u16(netuid), hotkey),
                new ScaleWriter().u32(block).toByteArray());
    }

    /** Raw storage, e.g. from recorded traffic. */
    public synchronized void putStorage(String keyHex, String valueHex) {
        chain.put(keyHex, Hex.decode(valueHex));
    }

    public synchronized Optional<Registration> commitment(int netuid, byte[] hotkey) {
        return chain.storage(chain.key("Commitments", "CommitmentOf", FakeSubtensorChain.u16(netuid), hotkey))
                .map(Registration::decode);
    }

    public synchronized Optional<byte[]> storage(String keyHex) {
        return chain.storage(keyHex);
    }

    public synchronized String storageKey(String pallet, String item, byte[]... encodedKeys) {
        return chain.key(pallet, item, encodedKeys);
    }

    public synchronized long bestBlock() {
        return chain.best();
    }

    public synchronized long finalizedBlock() {
        return chain.finalizedNumber();
    }

    public synchronized String blockHash(long number) {
        return chain.block(number).map(Block::hash).orElseThrow();
    }

    /** Every extrinsic received by a submit method, in order, accepted or not. */
    public synchronized List<String> submissions() {
        return List.copyOf(submitted);
    }

    public List<String> violations() {
        return List.copyOf(violations);
    }

    public synchronized int connectionsOpened() {
        return connections.size();
    }

    public synchronized byte[] runtimeConstant(String pallet, String name) {
        return chain.metadata.constant(pallet, name);
    }

    // ---- block production and faults ----

    /** Off: blocks come only from {@link #produceBlocks}. On (default): a block follows every accepted submission. */
    public synchronized void autoBlocks(boolean on) {
        autoBlocks = on;
    }

    public synchronized void produceBlocks(int count) {
        for (int i = 0; i < count; i++) {
            produceBlock();
        }
    }

    /** While stalled, blocks are produced but not finalized; un-stalling finalizes them all. */
    public synchronized void stallFinality(boolean stalled) {
        stallFinality = stalled;
        if (!stalled) {
            announceFinal(chain.finalizeAll());
        }
    }

    /** The next time a watched extrinsic is reported in a block, the connection closes right after that report. */
    public synchronized void dropConnectionAfterInclusion() {
        dropAfterInclusion = true;
    }

    /**
     * The next submission is accepted and goes into a block, but its connection is cut before the answer.
     * With {@code goOffline}, the node then refuses connections until {@link #online(boolean)}.
     */
    public synchronized void loseNextSubmitAnswer(boolean goOffline) {
        dropOnSubmit = true;
        offlineAfterDrop = goOffline;
    }

    /** Runs {@code action} once, under the node's lock, the next time a submission reaches {@code moment}. */
    public synchronized void onNext(Moment moment, Runnable action) {
        actions.put(moment, action);
    }

    private void reached(Moment moment) {
        Runnable action = actions.remove(moment);
        if (action != null) {
            action.run();
        }
    }

    /** Offline: WebSocket upgrades are refused with 503. */
    public synchronized void online(boolean on) {
        online = on;
    }

    /** The next set_commitment fails at dispatch with this Commitments error. */
    public synchronized void failNextDispatch(String commitmentsError) {
        chain.forceNextDispatchError(commitmentsError);
    }

    // ---- server ----

    private synchronized MockResponse upgrade(RecordedRequest request) {
        if (!online) {
            return new MockResponse.Builder().code(503).body("node offline").build();
        }
        String upgradeHeader = request.getHeaders().get("Upgrade");
        if (upgradeHeader == null || !upgradeHeader.equalsIgnoreCase("websocket")) {
            violations.add("HTTP request without WebSocket upgrade: " + request.getRequestLine());
            return new MockResponse.Builder().code(400).body("this node speaks JSON-RPC over WebSocket only").build();
        }
        Connection c = new Connection();
        connections.add(c);
        return new MockResponse.Builder().webSocketUpgrade(c).build();
    }

    private final class Connection extends WebSocketListener {
        volatile WebSocket socket;
        volatile boolean open;

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            socket = webSocket;
            open = true;
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            socket = webSocket;
            handle(this, text);
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            open = false;
            webSocket.close(1000, null);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            open = false;
        }

        void send(JsonNode frame) {
            if (open) {
                socket.send(frame.toString());
            }
        }

        void drop() {
            open = false;
            socket.cancel();
        }
    }

    private void handle(Connection c, String text) {
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (IOException e) {
            violations.add("frame is not JSON: " + text);
            c.send(FakeSubtensorRpc.error(NODES.nullNode(), -32700, "Parse error"));
            return;
        }
        JsonNode id = frame.get("id");
        if (!frame.isObject() || !"2.0".equals(frame.path("jsonrpc").asText()) || id == null
                || !(id.isIntegralNumber() || id.isTextual()) || !frame.path("method").isTextual()
                || (frame.has("params") && !frame.get("params").isArray())) {
            violations.add("not a JSON-RPC 2.0 request with id, method and array params: " + text);
            c.send(FakeSubtensorRpc.error(id == null ? NODES.nullNode() : id, -32600, "Invalid request"));
            return;
        }
        String method = frame.get("method").asText();
        JsonNode params = frame.has("params") ? frame.get("params") : NODES.arrayNode();
        synchronized (this) {
            try {
                JsonNode result = call(c, id, method, params);
                if (result != null) {
                    ObjectNode answer = NODES.objectNode().put("jsonrpc", "2.0");
                    answer.set("id", id);
                    answer.set("result", result);
                    c.send(answer);
                }
            } catch (RpcFault f) {
                if (f.code == -32601 || f.code == -32602) {
                    violations.add(method + ": " + f.getMessage());
                }
                c.send(FakeSubtensorRpc.error(id, f.code, f.getMessage()));
            }
        }
    }

    /** Returns the result, or null when the answer is withheld (a fault). Runs under the node's lock. */
    private JsonNode call(Connection c, JsonNode id, String method, JsonNode p) throws RpcFault {
        switch (method) {
            case "author_submitExtrinsic":
            case "author_submitAndWatchExtrinsic":
                FakeSubtensorRpc.params(p, 1, 1, method);
                return submit(c, id, method, FakeSubtensorRpc.hexParam(p.get(0), "extrinsic"));
            case "author_unwatchExtrinsic":
                FakeSubtensorRpc.params(p, 1, 1, method);
                watches.values().removeIf(w -> w.subscription().equals(p.get(0).asText()));
                return NODES.booleanNode(true);
            default:
                return rpc.read(method, p);
        }
    }

    private JsonNode submit(Connection c, JsonNode id, String method, String hex) throws RpcFault {
        submitted.add(hex.toLowerCase());
        FakeSubtensorExtrinsic x;
        try {
            x = chain.validate(Hex.decode(hex));
        } catch (Refused r) {
            throw new RpcFault(r.code, r.getMessage());
        }
        chain.submit(x);
        reached(Moment.SUBMITTED);
        String txHash = Hex.encode(Hashing.blake2_256(x.encoded()));
        boolean watch = method.equals("author_submitAndWatchExtrinsic");
        String subscription = null;
        if (watch) {
            subscription = "sub" + (++subscriptionCounter);
            watches.put(Hex.encode(x.encoded()), new Watch(c, subscription));
        }
        if (autoBlocks) {
            producer.execute(() -> {
                synchronized (FakeSubtensor.this) {
                    produceBlock();
                }
            });
        }
        if (dropOnSubmit) {
            dropOnSubmit = false;
            if (offlineAfterDrop) {
                online = false;
            }
            watches.remove(Hex.encode(x.encoded()));
            c.drop();
            return null;
        }
        if (!watch) {
            return NODES.textNode(txHash);
        }
        // The answer goes out before the first notification, as jsonrpsee orders them.
        ObjectNode answer = NODES.objectNode().put("jsonrpc", "2.0");
        answer.set("id", id);
        c.send(answer.put("result", subscription));
        notify(c, subscription, NODES.objectNode().putNull("ready"));
        notify(c, subscription, NODES.objectNode().set("broadcast",
                NODES.arrayNode().add("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY")));
        return null;
    }

    private void produceBlock() {
        List<String> included = chain.pool().stream().map(x -> Hex.encode(x.encoded())).toList();
        Block block = chain.produceBlock();
        for (String x : included) {
            Watch w = watches.get(x);
            if (w != null) {
                notify(w.connection(), w.subscription(), NODES.objectNode().put("inBlock", block.hash()));
                reached(Moment.INCLUDED);
                if (dropAfterInclusion) {
                    dropAfterInclusion = false;
                    watches.remove(x);
                    w.connection().socket.close(1001, "node restarting");
                    w.connection().open = false;
                }
            }
        }
        if (!stallFinality) {
            announceFinal(chain.finalizeAll());
        }
    }

    private void announceFinal(List<Block> blocks) {
        for (Block b : blocks) {
            for (byte[] x : b.extrinsics()) {
                Watch w = watches.remove(Hex.encode(x));
                if (w != null) {
                    reached(Moment.FINALIZED);
                    notify(w.connection(), w.subscription(), NODES.objectNode().put("finalized", b.hash()));
                }
            }
        }
    }

    private void notify(Connection c, String subscription, JsonNode result) {
        ObjectNode params = NODES.objectNode().put("subscription", subscription);
        params.set("result", result);
        c.send(NODES.objectNode().put("jsonrpc", "2.0").put("method", "author_extrinsicUpdate").set("params", params));
    }

    /** Waits for queued block production (tests call it before asserting on state a submission changed). */
    public void awaitIdle() throws Exception {
        producer.submit(() -> { }).get(10, TimeUnit.SECONDS);
    }
}
