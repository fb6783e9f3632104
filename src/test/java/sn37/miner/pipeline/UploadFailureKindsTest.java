package sn37.miner.pipeline;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.chain.ChainTestKit;
import sn37.miner.config.Env;
import sn37.miner.util.Json;
import sn37.miner.config.Settings;
import sn37.miner.fake.FakeHub;
import sn37.miner.fake.FakeSubtensor;
import sn37.miner.publish.TinyModels;
import sn37.miner.run.FailureKind;
import sn37.miner.run.Run;
import sn37.miner.run.RunStatus;
import sn37.miner.stage.Commit;
import sn37.miner.stage.StageServices;
import sn37.miner.stage.UploadStages;

/**
 * The one-stage upload of the API against the loopback Hub and node: it checks token, wallet, registration and the
 * node before any Hub call, and the retry sweeper resumes only a failure that may pass (a 503), not one that needs a
 * person (a missing hotkey). Before, the sweeper resumed every failed upload up to its cap.
 */
class UploadFailureKindsTest {
    private static final String TOKEN = "hf_writetoken_51c0";
    private static final String REPO = FakeHub.USER + "/sn37-kinds";

    @TempDir Path dir;
    FakeHub hub;
    FakeSubtensor node;
    TestServer t;
    Path model;
    Path wallets;

    @BeforeEach
    void start() throws Exception {
        hub = FakeHub.start(TOKEN, "hf_readtoken");
        node = FakeSubtensor.start(FakeSubtensor.Runtime.RAONET_218, 20_000);
        model = TinyModels.write(dir.resolve("model"), 4, 256, 1024, 7);
        wallets = TinyModels.wallet(dir.resolve("wallets"), "miner", "default");
        Settings settings = TestServer.settings(dir, Map.of("miner.hub.endpoint", hub.endpoint(),
                "miner.subtensor.local", node.endpoint(), "pipeline.sweeper.backoff-base-seconds", "1",
                "pipeline.sweeper.backoff-max-seconds", "1"));
        StageServices services = StageServices.from(settings, Env.of(Map.of("HF_ACCESS_TOKEN", TOKEN)));
        t = TestServer.start(settings, TestServer.withExtra(UploadStages.quickRetries(services, ChainTestKit.fast()),
                new Commit(services, ChainTestKit.fast())));
    }

    @AfterEach
    void stop() {
        t.close();
        assertTrue(hub.violations().isEmpty(), hub.violations().toString());
        assertTrue(node.violations().isEmpty(), node.violations().toString());
        hub.close();
        node.close();
    }

    private String upload(String wallet) throws Exception {
        String body = Json.mapper().writeValueAsString(Map.of("hf_repo_id", REPO, "upload_dir", model.toString(),
                "wallet_path", wallets.toString(), "wallet_name", wallet, "subtensor_network", "local"));
        var r = t.post("/api/stages/upload", body);
        assertEquals(202, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body()).get("runId").asText();
    }

    private RetrySweeper sweeper() {
        return t.server.context().getRegistry().lookupByNameAndType("retrySweeper", RetrySweeper.class);
    }

    @Test
    void missingHotkeyStaysFailedAndIsNotRetried() throws Exception {
        node.registerNeuron(37, 11, ChainTestKit.testHotkey().publicKey());
        String runId = upload("nobody");
        Run run = t.awaitFinished(runId, Duration.ofSeconds(30));
        assertEquals(RunStatus.FAILED, run.status());
        assertEquals("upload", run.failedStage());
        assertEquals(FailureKind.PERMANENT, run.failureKind(), run.lastError());
        assertTrue(run.lastError().contains("nobody"), run.lastError());
        assertNull(run.nextRetryAt());
        assertEquals(List.of(), sweeper().sweep());
        assertEquals(1, t.server.store().get(runId).attempt());
        assertEquals(0, hub.totalRequests(), "nothing may reach the Hub before the pre-flight passes");
    }

    @Test
    void unregisteredHotkeySendsNothingToTheHubAndIsNotRetried() throws Exception {
        String runId = upload("miner");
        Run run = t.awaitFinished(runId, Duration.ofSeconds(30));
        assertEquals(RunStatus.FAILED, run.status());
        assertTrue(run.lastError().contains("is not registered on netuid 37"), run.lastError());
        assertEquals(FailureKind.PERMANENT, run.failureKind());
        assertEquals(0, hub.totalRequests(), "the model went to the Hub before the registration was checked");
        assertEquals(List.of(), sweeper().sweep());
    }

    @Test
    void nodeDownSendsNothingToTheHubAndIsRetried() throws Exception {
        node.registerNeuron(37, 11, ChainTestKit.testHotkey().publicKey());
        node.online(false);
        String runId = upload("miner");
        Run run = t.awaitFinished(runId, Duration.ofSeconds(60));
        assertEquals(RunStatus.FAILED, run.status());
        assertTrue(run.lastError().contains("cannot check the hotkey's registration"), run.lastError());
        assertEquals(FailureKind.TRANSIENT, run.failureKind(), run.lastError());
        assertNotNull(run.nextRetryAt());
        assertEquals(0, hub.totalRequests(), "the model went to the Hub while the node was down");
    }

    @Test
    void hubAnswering503IsRetriedAndThenPublishes() throws Exception {
        node.registerNeuron(37, 11, ChainTestKit.testHotkey().publicKey());
        hub.failNext(FakeHub.Kind.WHOAMI, 503, 6); // the first attempt and its five retries, which do not wait
        String runId = upload("miner");
        Run run = t.awaitFinished(runId, Duration.ofSeconds(30));
        assertEquals(RunStatus.FAILED, run.status());
        assertEquals(FailureKind.TRANSIENT, run.failureKind(), run.lastError());
        assertNotNull(run.nextRetryAt());

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<String> resumed = List.of();
        while (resumed.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200); // the backoff of 1 s must pass first
            resumed = sweeper().sweep();
        }
        assertEquals(List.of(runId), resumed);
        Run done = t.awaitFinished(runId, Duration.ofSeconds(60));
        assertEquals(RunStatus.SUCCEEDED, done.status(), done.lastError());
        assertEquals(1, done.autoRetries());
        assertEquals(1, hub.commitsApplied(REPO));
    }
}
