package sn37.miner.chain.commitment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import sn37.miner.chain.BlockRef;
import sn37.miner.chain.ChainFixtures;
import sn37.miner.chain.ChainTestKit;
import sn37.miner.chain.Data;
import sn37.miner.chain.PreparedExtrinsic;
import sn37.miner.chain.Ss58;
import sn37.miner.chain.SubtensorClient;
import sn37.miner.chain.crypto.Sr25519Keypair;
import sn37.miner.chain.scale.ScaleWriter;
import sn37.miner.fake.FakeSubtensor;

class CommitmentClientTest {
    private static final int NETUID = 37;
    private static final long START = 10_000;
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final Sr25519Keypair hotkey = ChainTestKit.testHotkey();
    private final List<PreparedExtrinsic> intents = new ArrayList<>();
    private FakeSubtensor node;
    private SubtensorClient chain;

    private CommitmentClient start(FakeSubtensor.Runtime runtime, boolean registered) throws Exception {
        node = FakeSubtensor.start(runtime, START);
        if (registered) {
            node.registerNeuron(NETUID, 7, hotkey.publicKey());
        }
        chain = SubtensorClient.connect(node.endpoint(), ChainTestKit.fast());
        return new CommitmentClient(chain, CLOCK);
    }

    @AfterEach
    void stop() {
        if (chain != null) chain.close();
        if (node != null) node.close();
    }

    @Test
    void commitsOnceAndConfirmsByReadingBack() throws Exception {
        CommitmentClient store = start(FakeSubtensor.Runtime.RAONET_218, true);

        CommitmentOutcome result = store.commit(NETUID, hotkey, ChainTestKit.RECORDED_METADATA, intents::add);

        assertFalse(result.skipped());
        assertEquals(START + 1, result.commitment().block());
        assertEquals(ChainTestKit.RECORDED_METADATA, result.commitment().text());
        assertEquals(1, intents.size(), "the intent is handed out before the one submission");
        assertEquals(List.of(intents.get(0).hex()), node.submissions());
        assertEquals(intents.get(0).hash(), result.extrinsicHash());
    }

    @Test
    void sendsNothingWhenTheChainAlreadyHoldsExactlyThisText() throws Exception {
        CommitmentClient store = start(FakeSubtensor.Runtime.RAONET_218, true);
        node.setCommitment(NETUID, hotkey.publicKey(), 9_000, Data.raw(ChainTestKit.RECORDED_METADATA));

        CommitmentOutcome result = store.commit(NETUID, hotkey, ChainTestKit.RECORDED_METADATA, intents::add);

        assertTrue(result.skipped());
        assertEquals(9_000, result.commitment().block(), "the original block, with its epsilon advantage, is kept");
        assertTrue(intents.isEmpty());
        assertTrue(node.submissions().isEmpty());
    }

    @Test
    void refusesAnUnregisteredHotkeyBeforeSigning() throws Exception {
        CommitmentClient store = start(FakeSubtensor.Runtime.RAONET_218, false);

        NotRegisteredException e = assertThrows(NotRegisteredException.class,
                () -> store.commit(NETUID, hotkey, ChainTestKit.RECORDED_METADATA, intents::add));

        assertTrue(e.getMessage().startsWith("hotkey " + Ss58.encode(hotkey.publicKey()) + " is not registered on netuid 37"),
                e.getMessage());
        assertTrue(e.getMessage().contains("btcli subnet register --netuid 37"), e.getMessage());
        assertTrue(intents.isEmpty());
        assertTrue(node.submissions().isEmpty());
    }

    @Test
    void saysFromWhichBlockTheBlockRateLimitAllowsTheNextCommit() throws Exception {
        CommitmentClient store = start(FakeSubtensor.Runtime.RAONET_218, true);
        node.setLastCommitment(NETUID, hotkey.publicKey(), START - 10);

        CommitTooEarlyException e = assertThrows(CommitTooEarlyException.class,
                () -> store.commit(NETUID, hotkey, ChainTestKit.RECORDED_METADATA, intents::add));

        assertEquals(START + 90, e.firstBlock()); // LastCommitment + RateLimit (100 in spec 218)
        // 89 blocks of 100 ms from the fixed clock, rounded to seconds.
        assertEquals(Instant.parse("2026-01-01T00:00:08.900Z"), e.notBefore());
        assertTrue(e.getMessage().contains("committed on netuid 37 at block 9990 and the runtime allows one commitment per"
                + " 100 blocks; the chain accepts the next commitment from block 10090 (now 10000)"), e.getMessage());
        assertTrue(e.getMessage().contains("nothing was sent"), e.getMessage());
        assertTrue(node.submissions().isEmpty());
    }

    @Test
    void saysWhenTheSpaceBudgetOfTheNextSubnetEpochAllowsTheCommit() throws Exception {
        CommitmentClient store = start(FakeSubtensor.Runtime.FINNEY_343, true);
        node.setTempo(NETUID, 360);
        long next = START + 1;
        long epoch = (next + NETUID + 1) / 361; // subtensor get_epoch_index
        node.putStorage(node.storageKey("Commitments", "UsedSpaceOf", u16(NETUID), hotkey.publicKey()),
                sn37.miner.chain.scale.Hex.encode(new ScaleWriter().u64(epoch).u64(3050).toByteArray()));

        CommitTooEarlyException e = assertThrows(CommitTooEarlyException.class,
                () -> store.commit(NETUID, hotkey, ChainTestKit.RECORDED_METADATA, intents::add));

        assertEquals((epoch + 1) * 361 - (NETUID + 1), e.firstBlock());
        assertTrue(e.getMessage().contains("has used 3050 of the 3100 bytes"), e.getMessage());
        assertTrue(node.submissions().isEmpty());
    }

    @Test
    void chargesTheSpaceBudgetOnFinney343() throws Exception {
        CommitmentClient store = start(FakeSubtensor.Runtime.FINNEY_343, true);

        store.commit(NETUID, hotkey, ChainTestKit.RECORDED_METADATA, intents::add);

        byte[] usage = node.storage(node.storageKey("Commitments", "UsedSpaceOf", u16(NETUID), hotkey.publicKey())).orElseThrow();
        sn37.miner.chain.scale.ScaleReader r = new sn37.miner.chain.scale.ScaleReader(usage);
        r.u64(); // last_epoch
        long used = r.u64();
        assertEquals(100, used); // max(100, 99 bytes)
    }

    @Test
    void turnsARateLimitFailureAtDispatchIntoAClearTooEarly() throws Exception {
        CommitmentClient store = start(FakeSubtensor.Runtime.RAONET_218, true);
        node.failNextDispatch("CommitmentSetRateLimitExceeded");

        CommitTooEarlyException e = assertThrows(CommitTooEarlyException.class,
                () -> store.commit(NETUID, hotkey, ChainTestKit.RECORDED_METADATA, intents::add));

        assertTrue(e.getMessage().startsWith("the chain refused the commitment at dispatch in block 10001 with"
                + " Commitments.CommitmentSetRateLimitExceeded"), e.getMessage());
        assertEquals(1, node.submissions().size());
    }

    @Test
    void settlesACommitWhoseConnectionDroppedAfterInclusionWithoutResending() throws Exception {
        CommitmentClient store = start(FakeSubtensor.Runtime.RAONET_218, true);
        node.dropConnectionAfterInclusion();

        CommitmentOutcome result = store.commit(NETUID, hotkey, ChainTestKit.RECORDED_METADATA, intents::add);

        assertEquals(START + 1, result.commitment().block());
        assertEquals(1, node.submissions().size());
        assertEquals(2, node.connectionsOpened(), "reconnected to read the chain");
    }

    @Test
    void leavesAStalledFinalityPendingAndConfirmsLaterWithoutResending() throws Exception {
        CommitmentClient store = start(FakeSubtensor.Runtime.RAONET_218, true);
        node.stallFinality(true);

        CommitPendingException e = assertThrows(CommitPendingException.class,
                () -> store.commit(NETUID, hotkey, ChainTestKit.RECORDED_METADATA, intents::add));
        assertTrue(e.getMessage().contains("is in block 10001, but the chain finalized only up to block 10000"), e.getMessage());

        PendingExtrinsic pending = PendingExtrinsic.of(intents.get(0));
        assertTrue(store.reconcile(NETUID, hotkey.publicKey(), ChainTestKit.RECORDED_METADATA, pending)
                instanceof Reconciliation.AwaitingFinality);
        node.stallFinality(false);
        Reconciliation r = store.reconcile(NETUID, hotkey.publicKey(), ChainTestKit.RECORDED_METADATA, pending);
        assertEquals(START + 1, ((Reconciliation.Confirmed) r).commitment().block());
        assertEquals(1, node.submissions().size());
    }

    @Test
    void keepsAnExtrinsicThatMayStillLandPendingInsteadOfSendingAnother() throws Exception {
        CommitmentClient store = start(FakeSubtensor.Runtime.RAONET_218, true);
        node.autoBlocks(false);

        CommitPendingException e = assertThrows(CommitPendingException.class,
                () -> store.commit(NETUID, hotkey, ChainTestKit.RECORDED_METADATA, intents::add));
        assertTrue(e.getMessage().contains("may still be included until block 10032"), e.getMessage());

        node.produceBlocks(1);
        Reconciliation r = store.reconcile(NETUID, hotkey.publicKey(), ChainTestKit.RECORDED_METADATA, PendingExtrinsic.of(intents.get(0)));
        assertTrue(r instanceof Reconciliation.Confirmed, r.toString());
        assertEquals(1, node.submissions().size());
    }

    @Test
    void judgesAnExtrinsicAbsentOnceItsEraIsOverOrItsNonceIsUsed() throws Exception {
        CommitmentClient store = start(FakeSubtensor.Runtime.RAONET_218, true);
        String text = ChainTestKit.RECORDED_METADATA;
        assertTrue(store.reconcile(NETUID, hotkey.publicKey(), text, new PendingExtrinsic("0x01", 0, START - 1))
                instanceof Reconciliation.Absent);
        assertTrue(store.reconcile(NETUID, hotkey.publicKey(), text, new PendingExtrinsic("0x01", 0, START + 20))
                instanceof Reconciliation.MayStillLand);
        store.commit(NETUID, hotkey, ChainTestKit.metadata("other", 1), intents::add); // uses nonce 0
        assertTrue(store.reconcile(NETUID, hotkey.publicKey(), text, new PendingExtrinsic("0x01", 0, START + 20))
                instanceof Reconciliation.Absent);
    }

    @Test
    void readsTheRecordedCommitmentAsAModel() throws Exception {
        CommitmentClient store = start(FakeSubtensor.Runtime.RAONET_218, true);
        node.setCommitmentBytes(NETUID, hotkey.publicKey(),
                ChainFixtures.hex(ChainFixtures.chopsticks().at("/first_commit/commitment_of_value")));

        MinerModel model = store.modelOf(NETUID, 7, hotkey.publicKey(), chain.bestBlock()).orElseThrow();

        assertEquals(3, model.block());
        assertEquals("alice", model.modelId().namespace());
        assertEquals(2, model.modelId().competitionId());
        assertEquals(Ss58.encode(hotkey.publicKey()), model.hotkey());
    }

    @Test
    void treatsOtherMinersGarbageAsNoMetadataAndLogsItOnce() throws Exception {
        CommitmentClient store = start(FakeSubtensor.Runtime.FINNEY_343, true);
        Sr25519Keypair[] miners = {ChainTestKit.key(1), ChainTestKit.key(2), ChainTestKit.key(3), ChainTestKit.key(4),
                ChainTestKit.key(5), ChainTestKit.key(6)};
        node.setCommitment(NETUID, miners[0].publicKey(), 5, Data.raw("hello world"));
        node.setCommitment(NETUID, miners[1].publicKey(), 5, new Data.Raw(new byte[] {(byte) 0xC3, 0x28, 'a', ':', 'b'}));
        node.setCommitment(NETUID, miners[2].publicKey(), 5, new Data.BigRaw(("x:".repeat(200) + "2").getBytes(StandardCharsets.UTF_8)));
        node.setCommitment(NETUID, miners[3].publicKey(), 5, new Data.Hashed(Data.HashKind.SHA_256, new byte[32]));
        node.setCommitmentBytes(NETUID, miners[4].publicKey(), new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 4, (byte) 200});
        node.setCommitment(NETUID, miners[5].publicKey(), 5);
        ListAppender<ILoggingEvent> log = capture();
        BlockRef best = chain.bestBlock();

        for (int round = 0; round < 2; round++) {
            for (Sr25519Keypair miner : miners) {
                assertTrue(store.modelOf(NETUID, 1, miner.publicKey(), best).isEmpty());
            }
        }

        assertEquals("hello world", store.read(NETUID, miners[0].publicKey(), best).orElseThrow().text());
        ((Logger) LoggerFactory.getLogger(CommitmentClient.class)).detachAppender(log);
        assertEquals(6, log.list.size(), log.list.toString());
        assertTrue(log.list.stream().allMatch(ev -> ev.getFormattedMessage().endsWith("treated as no metadata")));
    }

    @Test
    void refusesATextTooLongForOneRawField() throws Exception {
        CommitmentClient store = start(FakeSubtensor.Runtime.RAONET_218, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.commit(NETUID, hotkey, "a".repeat(129), intents::add));
        assertTrue(e.getMessage().contains("129 bytes"), e.getMessage());
    }

    private static ListAppender<ILoggingEvent> capture() {
        Logger logger = (Logger) LoggerFactory.getLogger(CommitmentClient.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        return appender;
    }

    private static byte[] u16(int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8)};
    }
}
