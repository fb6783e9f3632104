package sn37.miner.pipeline;

import static sn37.miner.stage.StageContexts.gateWithoutChain;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
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
import sn37.miner.metadata.ModelId;
import sn37.miner.publish.TinyModels;
import sn37.miner.run.Run;
import sn37.miner.run.RunStatus;
import sn37.miner.stage.Commit;
import sn37.miner.stage.Gate;
import sn37.miner.stage.RunParams;
import sn37.miner.stage.StageServices;
import sn37.miner.stage.Upload;

/** The publish route (the upload CLI's run): one Hub commit, one chain commitment, the repo made public. */
class PublishRouteTest {
    /** A sentinel: it must never show up in logs, the run database, stage outputs or HTTP answers. */
    private static final String TOKEN = "hf_sentinel_9f3c2a7e51";
    private static final String REPO = FakeHub.USER + "/sn37-e2e";

    @TempDir Path dir;
    FakeHub hub;
    FakeSubtensor node;

    @BeforeEach
    void startFakes() throws Exception {
        hub = FakeHub.start(TOKEN, "hf_readtoken");
        logs = new ch.qos.logback.core.read.ListAppender<>();
        logs.start();
        root().addAppender(logs);
        node = FakeSubtensor.start(FakeSubtensor.Runtime.RAONET_218, 20_000);
        node.registerNeuron(37, 11, ChainTestKit.testHotkey().publicKey());
    }

    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs;

    private static ch.qos.logback.classic.Logger root() {
        return (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    @AfterEach
    void stopFakes() {
        root().detachAppender(logs);
        hub.close();
        node.close();
    }

    @Test
    void publishRunUploadsOnceCommitsOnceAndMakesTheRepoPublic() throws Exception {
        Path model = TinyModels.write(dir.resolve("model"), 4, 256, 1024, 7);
        Path wallets = TinyModels.wallet(dir.resolve("wallets"), "miner", "default");
        Settings settings = TestServer.settings(dir, Map.of("miner.hub.endpoint", hub.endpoint(),
                "miner.subtensor.local", node.endpoint()));
        StageServices services = StageServices.from(settings, Env.of(Map.of("HF_ACCESS_TOKEN", TOKEN)));
        try (TestServer t = TestServer.start(settings, List.of(TestStages.fetchData(), gateWithoutChain(), new Upload(services),
                new Commit(services, ChainTestKit.fast())))) {
            RunParams params = Json.mapper().readValue(Json.mapper().writeValueAsString(Map.of(
                    "hf_repo_id", REPO, "upload_dir", model.toString(), "wallet_path", wallets.toString(),
                    "wallet_name", "miner", "subtensor_network", "local")), RunParams.class);
            String runId = t.server.queue().submit(RunFlow.PUBLISH, params, "CLI", null).run().id();
            Run run = t.awaitFinished(runId, Duration.ofSeconds(60));
            assertEquals(RunStatus.SUCCEEDED, run.status(), run.lastError());

            JsonNode report = Json.mapper().valueToTree(sn37.miner.run.RunReport.of(t.server.store(), runId));
            assertEquals(List.of("upload:SUCCEEDED", "commit:SUCCEEDED"), PipelineServerTest.names(report.get("stages")));
            String modelId = report.at("/stages/0/outputs/modelId").asText();
            assertEquals(modelId, report.at("/stages/1/outputs/modelId").asText());
            ModelId parsed = ModelId.fromCompressedString(modelId, 0).orElseThrow();
            assertEquals(hub.head(REPO), parsed.commit());

            assertEquals(1, hub.commitsApplied(REPO), "exactly one Hub commit");
            assertFalse(hub.isPrivate(REPO), "the repo is public after the chain commit");
            assertEquals(1, node.submissions().size(), "exactly one extrinsic");
            assertEquals(modelId, node.commitment(37, ChainTestKit.testHotkey().publicKey()).orElseThrow()
                    .firstRawText().orElseThrow());
            assertTrue(hub.violations().isEmpty(), hub.violations().toString());
            assertTrue(node.violations().isEmpty(), node.violations().toString());
            HttpResponseAssert.status(409, "already SUCCEEDED", t.post("/api/runs/" + runId + "/resume", ""));

            // the token was used for every Hub call, and is nowhere else
            assertFalse(t.get("/api/runs/" + runId).body().contains(TOKEN), "HTTP answer");
            assertFalse(t.get("/api/runs").body().contains(TOKEN), "HTTP list");
            for (ch.qos.logback.classic.spi.ILoggingEvent e : logs.list) {
                assertFalse(e.getFormattedMessage().contains(TOKEN), "log line: " + e.getFormattedMessage());
                if (e.getThrowableProxy() != null) assertFalse(e.getThrowableProxy().getMessage() != null
                        && e.getThrowableProxy().getMessage().contains(TOKEN), "logged exception");
            }
        }
        byte[] db = java.nio.file.Files.readAllBytes(dir.resolve("db/pipeline.mv.db"));
        String dbText = new String(db, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(dbText.contains("sn37-e2e"), "the scan sees the run's parameters in the file, so it would see a token");
        assertFalse(dbText.contains(TOKEN), "run database file");
    }
}
