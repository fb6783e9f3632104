package sn37.miner.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.chain.ChainFixtures;
import sn37.miner.chain.ChainTestKit;
import sn37.miner.chain.Data;
import sn37.miner.chain.Ss58;
import sn37.miner.chain.crypto.Sr25519Keypair;
import sn37.miner.config.Endpoints;
import sn37.miner.util.Json;
import sn37.miner.util.Secret;
import sn37.miner.config.Secrets;
import sn37.miner.fake.FakeHub;
import sn37.miner.fake.FakeSubtensor;
import sn37.miner.run.EffectStatus;
import sn37.miner.run.ExternalEffect;
import sn37.miner.run.RunDatabase;
import sn37.miner.run.RunStore;
import sn37.miner.run.StoreEffects;

/**
 * The commit stage against the loopback node and Hub, with its effects in a real run store: at most one
 * extrinsic per metadata string, whatever is lost or retried.
 */
class CommitTest {
    private static final String REPO = FakeHub.USER + "/sn37-model";
    private static final String TEXT = FakeHub.USER + ":sn37-model:" + "4d2b1a0c9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b"
            + ":SxoJYSI5vJoZA9IzwMunOz+UiaRmYU5FlI75LLSxPYs=:2";
    private static final String TOKEN = "hf_writetoken";
    private final Sr25519Keypair hotkey = ChainTestKit.testHotkey();
    private final String hotkeySs58 = Ss58.encode(hotkey.publicKey());

    @TempDir
    Path dir;
    private FakeSubtensor node;
    private FakeHub hub;
    private RunDatabase db;
    private RunStore store;
    private String runId;
    private Commit stage;

    @BeforeEach
    void start() throws Exception {
        node = FakeSubtensor.start(FakeSubtensor.Runtime.RAONET_218, 20_000);
        node.registerNeuron(37, 11, hotkey.publicKey());
        hub = FakeHub.start(TOKEN, "hf_readtoken");
        hub.createRepo(REPO, true);
        db = RunDatabase.open(dir.resolve("db/pipeline"));
        store = new RunStore(db.dataSource());
        runId = store.createRun("pipeline", "{}", "test", null).run().id();
        writeHotkey("miner", "default", ChainFixtures.key("test-hotkey-1").get("mini_secret_seed").asText());
        Endpoints endpoints = new Endpoints(hub.endpoint(), "http://127.0.0.1:9",
                Map.of("finney", "ws://127.0.0.1:9", "test", "ws://127.0.0.1:9", "local", node.endpoint()));
        stage = new Commit(new StageServices(new Secrets(Optional.of(Secret.of(TOKEN)), Optional.empty(), Optional.empty()),
                endpoints, dir, Clock.systemUTC()), ChainTestKit.fast());
    }

    @AfterEach
    void stop() {
        node.close();
        hub.close();
        db.close();
    }

    @Test
    void commitsTheUploadsMetadataThenMakesTheRepoPublic() {
        Commit.Output out = stage.run(context(params(), upload(TEXT, hotkeySs58), 1));

        assertEquals(20_001, out.block());
        assertEquals(TEXT, out.modelId());
        assertTrue(out.madePublic());
        assertFalse(out.skipped());
        assertEquals(hotkeySs58, out.hotkey());
        assertFalse(hub.isPrivate(REPO));
        assertEquals(1, node.submissions().size());
        ExternalEffect effect = effects().get(0);
        assertEquals(EffectStatus.CONFIRMED, effect.status());
        assertEquals("chain-commit:" + out.extrinsicHash(), effect.effectKey());
        assertEquals(TEXT, json(effect.requestJson()).get("metadata").asText());
        assertEquals(20_001, json(effect.responseJson()).get("block").asLong());
        assertEquals(TEXT, node.commitment(37, hotkey.publicKey()).orElseThrow().firstRawText().orElseThrow());
        assertTrue(node.violations().isEmpty() && hub.violations().isEmpty());
        JsonNode recorded = Json.mapper().valueToTree(out);
        assertTrue(recorded.get("public").asBoolean() && recorded.get("block").asLong() == 20_001, recorded.toString());
    }

    @Test
    void keepsTheRepoPrivateWhenUpdateRepoVisibilityIsOff() {
        Commit.Output out = stage.run(context(params().put("update_repo_visibility", false), upload(TEXT, hotkeySs58), 1));

        assertFalse(out.madePublic());
        assertTrue(hub.isPrivate(REPO));
        assertEquals(0, hub.count(FakeHub.Kind.SETTINGS));
    }

    @Test
    void resumesAfterALostAnswerByReadingTheChainAndNeverCommitsTwice() throws Exception {
        node.loseNextSubmitAnswer(true);

        StageException first = assertThrows(StageException.class,
                () -> stage.run(context(params(), upload(TEXT, hotkeySs58), 1)));
        assertTrue(first.getMessage().contains("cannot connect"), first.getMessage());
        assertEquals(EffectStatus.INTENDED, effects().get(0).status());
        assertTrue(hub.isPrivate(REPO));

        node.awaitIdle(); // the node put the extrinsic in a block meanwhile
        node.online(true);
        Commit.Output out = stage.run(context(params(), upload(TEXT, hotkeySs58), 2));

        assertEquals(1, node.submissions().size(), "the resume read the chain instead of sending again");
        assertEquals(20_001, out.block());
        assertEquals(EffectStatus.CONFIRMED, effects().get(0).status());
        assertEquals(1, effects().size());
        assertFalse(hub.isPrivate(REPO));
    }

    @Test
    void confirmsAStalledCommitOnResumeOnceItsBlockIsFinal() {
        node.stallFinality(true);
        StageException first = assertThrows(StageException.class,
                () -> stage.run(context(params(), upload(TEXT, hotkeySs58), 1)));
        assertTrue(first.getMessage().contains("nothing more is sent"), first.getMessage());

        node.stallFinality(false);
        Commit.Output out = stage.run(context(params(), upload(TEXT, hotkeySs58), 2));

        assertEquals(20_001, out.block());
        assertFalse(out.skipped());
        assertEquals(1, node.submissions().size());
        assertEquals(EffectStatus.CONFIRMED, effects().get(0).status());
    }

    @Test
    void sendsNothingWhenTheChainAlreadyHoldsTheString() {
        node.setCommitment(37, hotkey.publicKey(), 19_000, Data.raw(TEXT));

        Commit.Output out = stage.run(context(params(), upload(TEXT, hotkeySs58), 1));

        assertTrue(out.skipped());
        assertEquals(19_000, out.block());
        assertNull(out.extrinsicHash());
        assertTrue(node.submissions().isEmpty());
        assertTrue(effects().isEmpty());
        assertFalse(hub.isPrivate(REPO));
    }

    @Test
    void failsRateLimitedCommitsSayingWhenAndSendsNothingHowEverOftenRetried() {
        node.setLastCommitment(37, hotkey.publicKey(), 19_950);

        for (int attempt = 1; attempt <= 3; attempt++) {
            int a = attempt;
            StageException e = assertThrows(StageException.class,
                    () -> stage.run(context(params(), upload(TEXT, hotkeySs58), a)));
            assertTrue(e.getMessage().contains("the chain accepts the next commitment from block 20050 (now 20000)"),
                    e.getMessage());
        }
        assertTrue(node.submissions().isEmpty());
        assertTrue(effects().isEmpty());
        assertTrue(hub.isPrivate(REPO));
    }

    @Test
    void refusesAWalletHotkeyOtherThanTheOneTheUploadHashedFor() {
        String alice = ChainFixtures.key("alice").get("ss58_prefix_42").asText();
        StageException e = assertThrows(StageException.class, () -> stage.run(context(params(), upload(TEXT, alice), 1)));
        assertTrue(e.getMessage().contains("made for hotkey " + alice + ", but wallet miner/default is " + hotkeySs58),
                e.getMessage());
        assertTrue(node.submissions().isEmpty());
    }

    @Test
    void saysClearlyWhenTheHotkeyIsNotRegistered() {
        ObjectNode p = params().put("netuid", 38);
        StageException e = assertThrows(StageException.class, () -> stage.run(context(p, upload(TEXT, hotkeySs58), 1)));
        assertTrue(e.getMessage().startsWith("hotkey " + hotkeySs58 + " is not registered on netuid 38"), e.getMessage());
        assertTrue(node.submissions().isEmpty());
    }

    @Test
    void usesTheChainEndpointFlagOverTheNetworksEndpoint() {
        ObjectNode p = params().put("subtensor_network", "finney").put("subtensor_chain_endpoint", node.endpoint());
        assertEquals(20_001, stage.run(context(p, upload(TEXT, hotkeySs58), 1)).block());
    }

    @Test
    void retriesOnlyTheVisibilityWhenTheHubFailedAfterTheCommit() {
        hub.failNext(FakeHub.Kind.SETTINGS, 403, 1);
        StageException e = assertThrows(StageException.class, () -> stage.run(context(params(), upload(TEXT, hotkeySs58), 1)));
        assertTrue(e.getMessage().startsWith("the metadata is on chain (block 20001), but making repo " + REPO + " public failed"),
                e.getMessage());

        Commit.Output out = stage.run(context(params(), upload(TEXT, hotkeySs58), 2));

        assertTrue(out.madePublic());
        assertFalse(out.skipped());
        assertEquals(1, node.submissions().size());
    }

    @Test
    void adoptsAChainCommitRecordedInTheShapeEarlierVersionsWrote() {
        String hash = "0x" + "ab".repeat(32);
        // exactly as the stage wrote it before the ledger had typed records: an ObjectNode, then {"block": n}
        store.intendEffect("chain-commit:" + hash, runId, StageNames.COMMIT, "{\"metadata\":\"" + TEXT
                + "\",\"netuid\":37,\"hotkey\":\"" + hotkeySs58 + "\",\"extrinsicHash\":\"" + hash
                + "\",\"nonce\":0,\"deathBlock\":20064}");
        store.confirmEffect("chain-commit:" + hash, "{\"block\":19990}");

        Commit.Output out = stage.run(context(params(), upload(TEXT, hotkeySs58), 2));

        assertEquals(19_990, out.block());
        assertEquals(hash, out.extrinsicHash());
        assertFalse(out.skipped());
        assertTrue(node.submissions().isEmpty(), "the recorded commit was adopted, not sent again");
        assertEquals(List.of(EffectStatus.CONFIRMED), effects().stream().map(ExternalEffect::status).toList());
    }

    @Test
    void requiresTheUploadStage() {
        assertEquals(List.of(StageNames.UPLOAD), stage.requires(RunParams.defaults()));
        assertEquals(StageNames.COMMIT, stage.name());
    }

    private ObjectNode params() {
        return Json.mapper().createObjectNode().put("wallet_path", dir.resolve("wallets").toString())
                .put("wallet_name", "miner").put("wallet_hotkey", "default").put("subtensor_network", "local")
                .put("netuid", 37);
    }

    private static JsonNode upload(String text, String hotkeyAddress) {
        return Json.mapper().createObjectNode().put("repo", REPO).put("commitOid", "4d2b1a0c9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b")
                .put("modelId", text).put("hotkey", hotkeyAddress).put("competitionId", 2);
    }

    private StageContext context(ObjectNode params, JsonNode upload, int attempt) {
        RunParams p;
        try {
            p = Json.mapper().treeToValue(params, RunParams.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        StageContext.Outputs outputs = new StageContext.Outputs() {
            @Override
            public <T> Optional<T> of(String stageName, Class<T> type) {
                if (!stageName.equals(StageNames.UPLOAD)) return Optional.empty();
                try {
                    return Optional.of(Json.recordReader(type).<T>readValue(upload));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        return StageContexts.of(p, dir.resolve("runs").resolve(runId)).run(runId, attempt).outputs(outputs)
                .effects(new StoreEffects(store, runId, StageNames.COMMIT)).build();
    }

    private List<ExternalEffect> effects() {
        return store.effects(runId);
    }


    private void writeHotkey(String wallet, String name, String seed) throws Exception {
        Path file = dir.resolve("wallets").resolve(wallet).resolve("hotkeys").resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"secretSeed\": \"" + seed + "\", \"ss58Address\": \"" + hotkeySs58 + "\"}");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
