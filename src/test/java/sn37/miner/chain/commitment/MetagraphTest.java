package sn37.miner.chain.commitment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sn37.miner.chain.BlockRef;
import sn37.miner.chain.ChainTestKit;
import sn37.miner.chain.Data;
import sn37.miner.chain.Ss58;
import sn37.miner.chain.SubtensorClient;
import sn37.miner.chain.crypto.Sr25519Keypair;
import sn37.miner.chain.scale.Hex;
import sn37.miner.fake.FakeSubtensor;

class MetagraphTest {
    private static final int NETUID = 37;
    private final Sr25519Keypair[] keys = new Sr25519Keypair[8];
    private FakeSubtensor node;
    private SubtensorClient chain;
    private Metagraph metagraph;
    private CommitmentClient commitments;

    @BeforeEach
    void start() throws Exception {
        node = FakeSubtensor.start(FakeSubtensor.Runtime.FINNEY_343, 6_000_000);
        for (int uid = 0; uid < keys.length; uid++) {
            keys[uid] = ChainTestKit.key(100 + uid);
            node.registerNeuron(NETUID, uid, keys[uid].publicKey());
        }
        chain = SubtensorClient.connect(node.endpoint(), ChainTestKit.fast());
        metagraph = new Metagraph(chain);
        commitments = new CommitmentClient(chain, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        chain.close();
        node.close();
    }

    @Test
    void mapsUidsAndHotkeysBothWays() {
        BlockRef best = chain.bestBlock();
        assertEquals(8, metagraph.size(NETUID, best));
        assertEquals(5, metagraph.uidOf(NETUID, keys[5].publicKey(), best).orElseThrow());
        assertTrue(Arrays.equals(keys[5].publicKey(), metagraph.hotkeyOf(NETUID, 5, best).orElseThrow()));
        assertTrue(metagraph.uidOf(NETUID, ChainTestKit.key(999).publicKey(), best).isEmpty());
        assertTrue(metagraph.hotkeyOf(NETUID, 8, best).isEmpty());
    }

    @Test
    void readsIncentiveValidatorPermitAndStakePerUid() {
        node.setIncentive(NETUID, List.of(0, 65535, 32768, 0, 0, 0, 0, 0));
        node.setValidatorPermit(NETUID, List.of(true, false, true, false, false, false, false, false));
        node.setAlphaStake(keys[0].publicKey(), NETUID, 150_000_000_000_000L);
        node.setAlphaStake(keys[0].publicKey(), 0, 100_000_000_000_000L);
        node.setAlphaStake(keys[2].publicKey(), NETUID, 5_000_000_000_000L);

        List<Neuron> neurons = metagraph.neurons(NETUID, chain.bestBlock());

        assertEquals(new Neuron(0, Ss58.encode(keys[0].publicKey()), 0.0, true, 150_000 + 0.18 * 100_000), neurons.get(0));
        assertEquals(1.0, neurons.get(1).incentive());
        assertEquals(32768 / 65535.0, neurons.get(2).incentive());
        assertEquals(List.of(0), metagraph.validators(NETUID, 10_000, chain.bestBlock()).stream().map(Neuron::uid).toList());
    }

    @Test
    void picksTheFirstOfTheTopFiveByIncentiveWithAModelOfTheCompetition() {
        // uid 7 has the most incentive but garbage metadata; uid 6 commits to another competition;
        // uid 2 is next; uid 1 would match too but is lower; uid 0 is outside the top five.
        node.setIncentive(NETUID, List.of(10, 40, 50, 30, 20, 0, 60, 70));
        node.setCommitment(NETUID, keys[7].publicKey(), 100, Data.raw("not a model"));
        node.setCommitment(NETUID, keys[6].publicKey(), 101, Data.raw(ChainTestKit.metadata("six", 6).replaceAll(":2$", ":3")));
        node.setCommitment(NETUID, keys[2].publicKey(), 102, Data.raw(ChainTestKit.metadata("two", 2)));
        node.setCommitment(NETUID, keys[1].publicKey(), 103, Data.raw(ChainTestKit.metadata("one", 1)));

        MinerModel best = metagraph.bestModel(NETUID, 2, commitments, chain.bestBlock()).orElseThrow();

        assertEquals(2, best.uid());
        assertEquals("two", best.modelId().name());
        assertEquals(102, best.block());
        assertEquals(Ss58.encode(keys[2].publicKey()), best.hotkey());
        assertEquals(6, metagraph.bestModel(NETUID, 3, commitments, chain.bestBlock()).orElseThrow().uid());
        assertTrue(metagraph.bestModel(NETUID, 4, commitments, chain.bestBlock()).isEmpty());
    }

    @Test
    void findsTheModelOfAGivenUid() {
        node.setCommitment(NETUID, keys[3].publicKey(), 77, Data.raw(ChainTestKit.metadata("three", 3)));
        MinerModel m = metagraph.modelOfUid(NETUID, 3, commitments, chain.bestBlock()).orElseThrow();
        assertEquals("three", m.modelId().name());
        assertTrue(metagraph.modelOfUid(NETUID, 4, commitments, chain.bestBlock()).isEmpty());
        assertTrue(metagraph.modelOfUid(NETUID, 40, commitments, chain.bestBlock()).isEmpty());
    }

    @Test
    void readsRealFinneyStorageAnswers() throws Exception {
        JsonNode recorded;
        try (InputStream in = MetagraphTest.class.getResourceAsStream("/chain/finney-recorded-rpc.json")) {
            recorded = new ObjectMapper().readTree(in);
        }
        checkUid(recorded.at("/get_uid_for_hotkey_on_subnet/state_getStorageAt"), 23, 5);
        checkUid(recorded.at("/is_hotkey_registered_on_subnet/state_getStorageAt"), 14, 29);
        JsonNode commitment = recorded.at("/get_commitment/state_getStorageAt");
        String key = new ObjectMapper().readTree(commitment.fieldNames().next()).get(0).asText();
        assertTrue(commitment.elements().next().get("result").isNull());
        byte[] hotkey = Arrays.copyOfRange(Hex.decode(key), Hex.decode(key).length - 32, Hex.decode(key).length);
        assertTrue(commitments.read(23, hotkey, chain.bestBlock()).isEmpty());
        assertEquals(key, node.storageKey("Commitments", "CommitmentOf", new byte[] {23, 0}, hotkey));
    }

    /** Seeds the recorded key and value; the client must build the same key from (netuid, hotkey) to find it. */
    private void checkUid(JsonNode answers, int netuid, int expectedUid) throws Exception {
        String key = new ObjectMapper().readTree(answers.fieldNames().next()).get(0).asText();
        String value = answers.elements().next().get("result").asText();
        byte[] raw = Hex.decode(key);
        byte[] hotkey = Arrays.copyOfRange(raw, raw.length - 32, raw.length);
        node.putStorage(key, value);
        assertEquals(expectedUid, metagraph.uidOf(netuid, hotkey, chain.bestBlock()).orElseThrow());
    }
}
