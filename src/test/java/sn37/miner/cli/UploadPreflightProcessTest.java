package sn37.miner.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.MinerApp;
import sn37.miner.chain.ChainTestKit;
import sn37.miner.fake.FakeHub;
import sn37.miner.fake.FakeSubtensor;
import sn37.miner.publish.TinyModels;
import sn37.miner.testing.Slow;

/**
 * {@code bin/miner upload} as a process with a Hub token: it runs mine's pre-flight (token, repo, wallet,
 * registration, node reachable) before a byte goes to the Hub. Before, it pushed the model first and found the
 * hotkey unregistered or the node down afterwards.
 */
@Slow
class UploadPreflightProcessTest {
    private static final String TOKEN = "hf_writetoken_7d2e";

    @TempDir Path dir;
    FakeHub hub;
    FakeSubtensor node;
    Path model;
    Path wallets;

    record Result(int code, String out, String err) {}

    @BeforeEach
    void start() throws Exception {
        hub = FakeHub.start(TOKEN, "hf_readtoken");
        node = FakeSubtensor.start(FakeSubtensor.Runtime.RAONET_218, 20_000);
        model = TinyModels.write(dir.resolve("model"), 4, 256, 1024, 7);
        wallets = TinyModels.wallet(dir.resolve("wallets"), "miner", "default");
    }

    @AfterEach
    void stop() {
        assertTrue(hub.violations().isEmpty(), hub.violations().toString());
        assertTrue(node.violations().isEmpty(), node.violations().toString());
        hub.close();
        node.close();
    }

    private Result upload() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dsn37.home=" + MinerApp.home(), "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                MinerApp.class.getName(), "upload", "--hf_repo_id", FakeHub.USER + "/sn37-pre",
                "--load_model_dir", model.toString(), "--wallet.path", wallets.toString(), "--wallet.name", "miner",
                "--subtensor.network", "local", "--miner.subtensor.local=" + node.endpoint(),
                "--miner.hub.endpoint=" + hub.endpoint(), "--pipeline.db.path=" + dir.resolve("db/pipeline"),
                "--pipeline.work-dir=" + dir.resolve("runs")));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        pb.environment().remove("HF_ENDPOINT");
        pb.environment().put("HF_ACCESS_TOKEN", TOKEN);
        Process p = pb.start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("upload did not end in 2 minutes");
        }
        return new Result(p.exitValue(), Files.readString(dir.resolve("out.txt")), Files.readString(dir.resolve("err.txt")));
    }

    @Test
    void unregisteredHotkeyIsRefusedBeforeAnyHubCall() throws Exception {
        Result r = upload();
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("is not registered on netuid 37"), r.err());
        assertEquals(0, hub.totalRequests(), "the model went to the Hub before the registration was checked");
        assertFalse(Files.exists(dir.resolve("db")), "a run was started");
    }

    @Test
    void nodeDownIsRefusedBeforeAnyHubCall() throws Exception {
        node.registerNeuron(37, 11, ChainTestKit.testHotkey().publicKey());
        node.online(false);
        Result r = upload();
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("cannot check the hotkey's registration"), r.err());
        assertEquals(0, hub.totalRequests(), "the model went to the Hub while the node was down");
    }
}
