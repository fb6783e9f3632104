package sn37.miner.stage;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.chain.ChainTestKit;
import sn37.miner.config.ConfigException;
import sn37.miner.config.Endpoints;
import sn37.miner.util.Json;
import sn37.miner.util.Secret;
import sn37.miner.config.Secrets;
import sn37.miner.fake.FakeSubtensor;
import sn37.miner.publish.TinyModels;

/** A run that will publish checks token, repo, wallet and registration before anything else happens. */
class PublishPreflightTest {
    @TempDir Path dir;
    FakeSubtensor node;
    Path wallets;

    @BeforeEach
    void start() throws Exception {
        node = FakeSubtensor.start(FakeSubtensor.Runtime.RAONET_218, 20_000);
        wallets = TinyModels.wallet(dir.resolve("wallets"), "miner", "default");
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private StageServices services(boolean withToken) {
        Secrets secrets = new Secrets(withToken ? Optional.of(Secret.of("hf_token")) : Optional.empty(),
                Optional.empty(), Optional.empty());
        Endpoints e = new Endpoints("http://127.0.0.1:9", "http://127.0.0.1:9",
                Map.of("finney", "ws://127.0.0.1:9", "test", "ws://127.0.0.1:9", "local", node.endpoint()));
        return new StageServices(secrets, e, dir, Clock.systemUTC());
    }

    private RunParams params(String extra) throws Exception {
        return Json.mapper().readValue("{\"subtensor_network\": \"local\", \"wallet_name\": \"miner\", \"wallet_path\": "
                + Json.mapper().writeValueAsString(wallets.toString()) + extra + "}", RunParams.class);
    }

    @Test
    void registeredHotkeyWithTokenAndRepoPasses() throws Exception {
        node.registerNeuron(37, 11, ChainTestKit.testHotkey().publicKey());
        String ok = PublishPreflight.check(params(", \"hf_repo_id\": \"me/model\""), services(true), ChainTestKit.fast());
        assertEquals("hotkey " + TinyModels.HOTKEY + " is uid 11 on netuid 37", ok);
    }

    @Test
    void unregisteredHotkeyIsRefusedBeforeMining() throws Exception {
        StageException e = assertThrows(StageException.class, () ->
                PublishPreflight.check(params(", \"hf_repo_id\": \"me/model\""), services(true), ChainTestKit.fast()));
        assertTrue(e.getMessage().contains("is not registered on netuid 37"), e.getMessage());
        assertTrue(node.submissions().isEmpty());
    }

    @Test
    void missingTokenIsRefusedWithoutTouchingTheChain() throws Exception {
        ConfigException e = assertThrows(ConfigException.class, () ->
                PublishPreflight.check(params(", \"hf_repo_id\": \"me/model\""), services(false), ChainTestKit.fast()));
        assertTrue(e.getMessage().contains("HF_ACCESS_TOKEN"), e.getMessage());
        assertEquals(0, node.connectionsOpened());
    }

    @Test
    void missingRepoIsRefused() throws Exception {
        StageException e = assertThrows(StageException.class, () ->
                PublishPreflight.check(params(""), services(true), ChainTestKit.fast()));
        assertTrue(e.getMessage().contains("--hf_repo_id"), e.getMessage());
    }

    @Test
    void offlineRunNeedsNothing() throws Exception {
        assertEquals("offline: nothing will be published",
                PublishPreflight.check(params(", \"offline\": true"), services(false), ChainTestKit.fast()));
    }
}
