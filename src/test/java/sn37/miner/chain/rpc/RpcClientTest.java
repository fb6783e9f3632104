package sn37.miner.chain.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sn37.miner.chain.ChainConnectionException;
import sn37.miner.chain.ChainTimeoutException;
import sn37.miner.chain.RpcErrorException;

/** The JSON-RPC client against scripted loopback WebSocket servers. */
class RpcClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RpcSettings FAST = new RpcSettings(Duration.ofMillis(500), Duration.ofSeconds(5), 3,
            Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(30));
    private final MockWebServer server = new MockWebServer();
    private RpcClient client;

    /** Each connection gets a listener that hands (socket, request frame) to {@code onRequest}. */
    private String serve(BiConsumer<WebSocket, JsonNode> onRequest, int connections) throws IOException {
        for (int i = 0; i < connections; i++) {
            server.enqueue(new MockResponse.Builder().webSocketUpgrade(new WebSocketListener() {
                @Override
                public void onMessage(WebSocket socket, String text) {
                    try {
                        onRequest.accept(socket, JSON.readTree(text));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }

                @Override
                public void onClosing(WebSocket socket, int code, String reason) {
                    socket.close(1000, null);
                }
            }).build());
        }
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        return "ws://127.0.0.1:" + server.getPort();
    }

    @AfterEach
    void stop() {
        if (client != null) client.close();
        server.close();
    }

    @Test
    void matchesAnswersToRequestsByIdWhateverTheirOrder() throws Exception {
        List<JsonNode> held = new ArrayList<>();
        client = new RpcClient(serve((socket, req) -> {
            synchronized (held) {
                held.add(req);
                if (held.size() == 2) { // answer the second request first
                    for (int i = 1; i >= 0; i--) {
                        JsonNode r = held.get(i);
                        socket.send("{\"jsonrpc\":\"2.0\",\"id\":" + r.get("id") + ",\"result\":\"" + r.get("method").asText() + "\"}");
                    }
                }
            }
        }, 1), FAST);
        CompletableFuture<JsonNode> a = CompletableFuture.supplyAsync(() -> client.call("method_a"));
        Thread.sleep(50);
        JsonNode b = client.call("method_b");
        assertEquals("method_b", b.asText());
        assertEquals("method_a", a.get(5, TimeUnit.SECONDS).asText());
    }

    @Test
    void sendsJsonRpc20FramesWithIncreasingIdsAndArrayParams() throws Exception {
        BlockingQueue<JsonNode> seen = new LinkedBlockingQueue<>();
        client = new RpcClient(serve((socket, req) -> {
            seen.add(req);
            socket.send("{\"jsonrpc\":\"2.0\",\"id\":" + req.get("id") + ",\"result\":null}");
        }, 1), FAST);
        client.call("state_getStorage", "0x1234", "0xabcd");
        client.call("chain_getBlockHash", 7);
        JsonNode first = seen.take();
        JsonNode second = seen.take();
        assertEquals("2.0", first.get("jsonrpc").asText());
        assertEquals(JSON.readTree("[\"0x1234\",\"0xabcd\"]"), first.get("params"));
        assertEquals(JSON.readTree("[7]"), second.get("params"));
        assertTrue(second.get("id").asLong() > first.get("id").asLong());
    }

    @Test
    void raisesTheNodesErrorObjectWithItsCode() throws Exception {
        client = new RpcClient(serve((socket, req) -> socket.send("{\"jsonrpc\":\"2.0\",\"id\":" + req.get("id")
                + ",\"error\":{\"code\":1010,\"message\":\"Invalid Transaction\",\"data\":\"Transaction is outdated\"}}"), 1), FAST);
        RpcErrorException e = assertThrows(RpcErrorException.class, () -> client.call("author_submitExtrinsic", "0x00"));
        assertEquals(1010, e.code());
        assertEquals("author_submitExtrinsic failed with JSON-RPC error 1010: Invalid Transaction (\"Transaction is outdated\")",
                e.getMessage());
    }

    @Test
    void timesOutARequestTheNodeNeverAnswers() throws Exception {
        client = new RpcClient(serve((socket, req) -> { }, 1), FAST);
        ChainTimeoutException e = assertThrows(ChainTimeoutException.class, () -> client.call("chain_getHeader"));
        assertTrue(e.getMessage().startsWith("chain_getHeader got no answer from ws://127.0.0.1:"), e.getMessage());
    }

    @Test
    void asksAReadAgainOnANewConnectionWhenTheFirstDropsIt() throws Exception {
        client = new RpcClient(serve((socket, req) -> {
            if (server.getRequestCount() == 1) {
                socket.cancel();
            } else {
                socket.send("{\"jsonrpc\":\"2.0\",\"id\":" + req.get("id") + ",\"result\":\"0x01\"}");
            }
        }, 2), FAST);
        assertEquals("0x01", client.call("state_getStorage", "0x00").asText());
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void neverResendsACallOnceWhoseConnectionDropped() throws Exception {
        client = new RpcClient(serve((socket, req) -> socket.cancel(), 2), FAST);
        assertThrows(ChainConnectionException.class, () -> client.callOnce("author_submitExtrinsic", "0x00"));
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void deliversANotificationThatOvertakesTheSubscriptionAnswer() throws Exception {
        client = new RpcClient(serve((socket, req) -> {
            socket.send("{\"jsonrpc\":\"2.0\",\"method\":\"author_extrinsicUpdate\",\"params\":{\"subscription\":\"s1\",\"result\":\"ready\"}}");
            socket.send("{\"jsonrpc\":\"2.0\",\"id\":" + req.get("id") + ",\"result\":\"s1\"}");
            socket.send("{\"jsonrpc\":\"2.0\",\"method\":\"author_extrinsicUpdate\",\"params\":{\"subscription\":\"s1\",\"result\":{\"inBlock\":\"0x01\"}}}");
        }, 1), FAST);
        BlockingQueue<Object> updates = new LinkedBlockingQueue<>();
        client.subscribe("author_submitAndWatchExtrinsic", List.of("0x00"), "author_unwatchExtrinsic", listener(updates));
        assertInstanceOf(ExtrinsicStatus.Ready.class, ExtrinsicStatus.parse((JsonNode) updates.poll(5, TimeUnit.SECONDS)));
        assertEquals(new ExtrinsicStatus.InBlock("0x01"), ExtrinsicStatus.parse((JsonNode) updates.poll(5, TimeUnit.SECONDS)));
    }

    @Test
    void tellsASubscriptionWhenItsConnectionDrops() throws Exception {
        client = new RpcClient(serve((socket, req) -> {
            socket.send("{\"jsonrpc\":\"2.0\",\"id\":" + req.get("id") + ",\"result\":\"s1\"}");
            socket.close(1001, "going away");
        }, 1), FAST);
        BlockingQueue<Object> updates = new LinkedBlockingQueue<>();
        client.subscribe("author_submitAndWatchExtrinsic", List.of("0x00"), "author_unwatchExtrinsic", listener(updates));
        assertInstanceOf(ChainConnectionException.class, updates.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void failsAfterItsConnectionAttemptsWithAMessageNamingTheEndpoint() throws Exception {
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        String url = "ws://127.0.0.1:" + server.getPort();
        server.close();
        client = new RpcClient(url, FAST);
        ChainConnectionException e = assertThrows(ChainConnectionException.class, () -> client.call("system_chain"));
        assertTrue(e.getMessage().contains("cannot connect to the Subtensor node at " + url + " after 3 attempts"), e.getMessage());
    }

    @Test
    void keepsCredentialsAndQueryOutOfItsEndpointName() {
        RpcClient c = new RpcClient("wss://user:hunter2@rpc.example.invalid:443/ws?apikey=s3cret", FAST);
        assertEquals("wss://rpc.example.invalid:443/ws", c.endpoint());
        assertFalse(c.endpoint().contains("s3cret") || c.endpoint().contains("hunter2"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RpcClient("https://user:hunter2@rpc.example.invalid/?k=s3cret", FAST));
        assertFalse(e.getMessage().contains("s3cret") || e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void parsesEveryExtrinsicStatusShape() throws Exception {
        assertInstanceOf(ExtrinsicStatus.Ready.class, ExtrinsicStatus.parse(JSON.readTree("\"ready\"")));
        assertInstanceOf(ExtrinsicStatus.Ready.class, ExtrinsicStatus.parse(JSON.readTree("{\"ready\":null}")));
        assertEquals(new ExtrinsicStatus.Broadcast(List.of("p1")), ExtrinsicStatus.parse(JSON.readTree("{\"broadcast\":[\"p1\"]}")));
        assertEquals(new ExtrinsicStatus.Finalized("0x02"), ExtrinsicStatus.parse(JSON.readTree("{\"finalized\":\"0x02\"}")));
        assertEquals(new ExtrinsicStatus.Retracted("0x03"), ExtrinsicStatus.parse(JSON.readTree("{\"retracted\":\"0x03\"}")));
        assertEquals(new ExtrinsicStatus.FinalityTimeout("0x04"), ExtrinsicStatus.parse(JSON.readTree("{\"finalityTimeout\":\"0x04\"}")));
        assertEquals(new ExtrinsicStatus.Usurped("0x05"), ExtrinsicStatus.parse(JSON.readTree("{\"usurped\":\"0x05\"}")));
        assertInstanceOf(ExtrinsicStatus.Dropped.class, ExtrinsicStatus.parse(JSON.readTree("\"dropped\"")));
        assertInstanceOf(ExtrinsicStatus.Invalid.class, ExtrinsicStatus.parse(JSON.readTree("\"invalid\"")));
        assertInstanceOf(ExtrinsicStatus.Future.class, ExtrinsicStatus.parse(JSON.readTree("\"future\"")));
        assertThrows(sn37.miner.chain.ChainException.class, () -> ExtrinsicStatus.parse(JSON.readTree("{\"weird\":1}")));
    }

    private static SubscriptionListener listener(BlockingQueue<Object> updates) {
        return new SubscriptionListener() {
            @Override
            public void onNotification(JsonNode result) {
                updates.add(result);
            }

            @Override
            public void onDisconnect(ChainConnectionException cause) {
                updates.add(cause);
            }
        };
    }
}
