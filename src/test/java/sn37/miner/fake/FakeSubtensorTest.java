package sn37.miner.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sn37.miner.chain.ChainConnectionException;
import sn37.miner.chain.ChainFixtures;
import sn37.miner.chain.RpcErrorException;
import sn37.miner.chain.rpc.RpcClient;
import sn37.miner.chain.rpc.RpcSettings;
import sn37.miner.chain.rpc.Subscription;
import sn37.miner.chain.rpc.SubscriptionListener;

/**
 * The fake node against the real runtime run recorded in chopsticks-e2e.json: seeded with the recorded
 * {@code dev_setStorage} pairs, it must accept the recorded extrinsics signed by polkadot.js, write the same
 * storage and events bytes, and refuse the recorded tampered signature with the recorded error.
 */
class FakeSubtensorTest {
    private static final JsonNode RUN = ChainFixtures.chopsticks();
    private FakeSubtensor node;
    private RpcClient rpc;

    @BeforeEach
    void start() throws Exception {
        node = FakeSubtensor.start(FakeSubtensor.Runtime.RAONET_218, 2, FakeSubtensor.CHOPSTICKS_GENESIS, Map.of(
                2L, RUN.at("/first_commit/block_hash_signed_against").asText(),
                3L, RUN.at("/first_commit/watch/new_block_hash").asText(),
                4L, RUN.at("/second_commit_same_epoch/watch/new_block_hash").asText()));
        for (JsonNode pair : RUN.get("dev_setStorage_pairs")) {
            node.putStorage(pair.get(0).asText(), pair.get(1).asText());
        }
        rpc = new RpcClient(node.endpoint(), new RpcSettings(Duration.ofSeconds(10), Duration.ofSeconds(5), 2,
                Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(30)));
    }

    @AfterEach
    void stop() {
        rpc.close();
        node.close();
    }

    @Test
    void answersTheRecordedReadsWithTheRecordedResults() {
        assertEquals(recorded(1), rpc.call("state_getRuntimeVersion"));
        assertEquals(recorded(2), rpc.call("chain_getBlockHash", 0));
        assertEquals(recorded(3), rpc.call("system_chain"));
        assertEquals(recorded(4), rpc.call("system_properties"));
        assertEquals(recorded(7), rpc.call("system_accountNextIndex", RUN.at("/signer/ss58").asText()));
        assertEquals(recorded(9), rpc.call("chain_getBlockHash", 2));
        assertTrue(node.violations().isEmpty(), node.violations().toString());
    }

    @Test
    void acceptsTheRecordedCommitAndWritesTheRecordedStorageAndEvents() throws Exception {
        List<JsonNode> updates = watch(RUN.at("/first_commit/signed_extrinsic_hex").asText(), 4);
        assertEquals(List.of(RUN.at("/first_commit/watch/notifications/0"), RUN.at("/first_commit/watch/notifications/1"),
                RUN.at("/first_commit/watch/notifications/2"), RUN.at("/first_commit/watch/notifications/3")), updates);
        String block3 = RUN.at("/first_commit/watch/new_block_hash").asText();
        assertEquals(recorded(12), rpc.call("state_getStorage", eventsKey(), block3));
        assertEquals(RUN.at("/first_commit/commitment_of_value"),
                rpc.call("state_getStorage", RUN.at("/first_commit/commitment_of_key").asText(), block3));
        assertEquals(RUN.at("/first_commit/last_commitment_value"),
                rpc.call("state_getStorage", RUN.at("/first_commit/last_commitment_key").asText(), block3));
        assertEquals(recorded(16), rpc.call("system_accountNextIndex", RUN.at("/signer/ss58").asText()));
    }

    @Test
    void failsTheRecordedSecondCommitAtDispatchWithTheRecordedEvents() throws Exception {
        watch(RUN.at("/first_commit/signed_extrinsic_hex").asText(), 4);
        List<JsonNode> updates = watch(RUN.at("/second_commit_same_epoch/signed_extrinsic_hex").asText(), 4);
        String block4 = RUN.at("/second_commit_same_epoch/watch/new_block_hash").asText();
        assertEquals(RUN.at("/second_commit_same_epoch/watch/notifications/2"), updates.get(2));
        assertEquals(recorded(19), rpc.call("state_getStorage", eventsKey(), block4));
    }

    @Test
    void refusesTheRecordedTamperedSignatureWithBadProof() throws Exception {
        watch(RUN.at("/first_commit/signed_extrinsic_hex").asText(), 4);
        watch(RUN.at("/second_commit_same_epoch/signed_extrinsic_hex").asText(), 4);
        String tampered = frame(20, "send").at("/params/0").asText();
        RpcErrorException e = assertThrows(RpcErrorException.class, () -> rpc.call("author_submitExtrinsic", tampered));
        JsonNode expected = RUN.at("/tampered_signature_submit_response/error");
        assertEquals(expected.get("code").asInt(), e.code());
        assertEquals(expected.get("message").asText(), e.rpcMessage());
        assertEquals(3, node.submissions().size());
    }

    @Test
    void refusesAnExtrinsicWhoseSignatureDoesNotCoverTheBytesSent() {
        String signed = RUN.at("/first_commit/signed_extrinsic_hex").asText();
        // Same signature, one byte of the metadata string changed ('a' of "alice" -> 'b').
        String altered = signed.replace("616c696365", "626c696365");
        RpcErrorException e = assertThrows(RpcErrorException.class, () -> rpc.call("author_submitExtrinsic", altered));
        assertEquals(1010, e.code());
        assertEquals("{\"invalid\":{\"badProof\":null}}", e.rpcMessage());
        assertEquals(0, node.commitment(37, ChainFixtures.hex(RUN.at("/signer/public_key"))).stream().count());
    }

    @Test
    @ExpectedFakeViolations({"Method not found: state_getKeysPagedTypo", "chain_getBlock: Invalid params"})
    void answersMalformedRequestsWithJsonRpcErrorsAndRecordsThem() {
        RpcErrorException unknown = assertThrows(RpcErrorException.class, () -> rpc.call("state_getKeysPagedTypo"));
        assertEquals(-32601, unknown.code());
        RpcErrorException badParams = assertThrows(RpcErrorException.class, () -> rpc.call("chain_getBlock", "0x12"));
        assertEquals(-32602, badParams.code());
        assertEquals(2, node.violations().size());
    }

    @Test
    void refusesConnectionsWhileOffline() {
        node.online(false);
        assertThrows(ChainConnectionException.class, () -> rpc.call("system_chain"));
        node.online(true);
        assertEquals("bittensor", rpc.call("system_chain").asText());
    }

    @Test
    void servesFinneySpec343ItsOwnRuntimeVersion() throws Exception {
        try (FakeSubtensor finney = FakeSubtensor.start(FakeSubtensor.Runtime.FINNEY_343, 6_000_000);
                RpcClient client = new RpcClient(finney.endpoint(), RpcSettings.defaults())) {
            JsonNode version = client.call("state_getRuntimeVersion");
            assertEquals(343, version.get("specVersion").asInt());
            assertEquals(1, version.get("transactionVersion").asInt());
            assertFalse(client.call("chain_getBlockHash", 6_000_000).isNull());
        }
    }

    private List<JsonNode> watch(String extrinsic, int count) throws Exception {
        BlockingQueue<JsonNode> updates = new LinkedBlockingQueue<>();
        try (Subscription s = rpc.subscribe("author_submitAndWatchExtrinsic", List.of(extrinsic), "author_unwatchExtrinsic",
                new SubscriptionListener() {
                    @Override
                    public void onNotification(JsonNode result) {
                        updates.add(result);
                    }

                    @Override
                    public void onDisconnect(ChainConnectionException cause) {
                    }
                })) {
            List<JsonNode> out = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                JsonNode u = updates.poll(10, TimeUnit.SECONDS);
                if (u == null) {
                    throw new AssertionError("only " + out + " arrived");
                }
                out.add(u);
            }
            node.awaitIdle();
            return out;
        }
    }

    private String eventsKey() {
        return frame(12, "send").at("/params/0").asText();
    }

    private static JsonNode recorded(int id) {
        return frame(id, "recv").get("result");
    }

    private static JsonNode frame(int id, String dir) {
        for (JsonNode f : RUN.get("rpc_frames")) {
            if (f.get("dir").asText().equals(dir) && f.at("/frame/id").asInt(-1) == id) {
                return f.get("frame");
            }
        }
        throw new IllegalArgumentException("no " + dir + " frame with id " + id);
    }
}
