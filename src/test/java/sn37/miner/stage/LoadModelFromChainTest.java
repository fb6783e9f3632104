package sn37.miner.stage;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.chain.ChainTestKit;
import sn37.miner.chain.Data;
import sn37.miner.chain.Ss58;
import sn37.miner.config.Endpoints;
import sn37.miner.util.Secret;
import sn37.miner.config.Secrets;
import sn37.miner.fake.FakeHub;
import sn37.miner.fake.FakeSubtensor;
import sn37.miner.metadata.DirectoryHash;
import sn37.miner.metadata.ModelId;
import sn37.miner.metadata.SecureHash;
import sn37.miner.model.Dtype;
import sn37.miner.model.llama.LlamaConfig;
import sn37.miner.model.llama.LlamaModel;
import sn37.miner.model.llama.LlamaWeights;

/** --load_uid / --load_best: chain metadata → pinned Hub snapshot → secure hash checked → the train stage's start. */
class LoadModelFromChainTest {
    private static final String TOKEN = "hf_readtoken";
    private static final String REPO = FakeHub.USER + "/incumbent";
    private final byte[] hotkey = ChainTestKit.testHotkey().publicKey();

    @TempDir Path dir;
    FakeHub hub;
    FakeSubtensor node;
    String commit;
    String secureHash;

    @BeforeEach
    void start() throws Exception {
        hub = FakeHub.start("hf_writetoken", TOKEN);
        node = FakeSubtensor.start(FakeSubtensor.Runtime.RAONET_218, 20_000);
        Path model = dir.resolve("incumbent");
        LlamaConfig config = LlamaConfig.from(LoadModel.readInitConfig("tiny-llama"));
        try (LlamaModel m = LlamaWeights.initialize(config, 5, Device.cpu())) {
            LlamaWeights.save(m, model, Dtype.BF16, null);
        }
        Map<String, byte[]> regular = new LinkedHashMap<>();
        Map<String, byte[]> lfs = new LinkedHashMap<>();
        List<String> files;
        try (Stream<Path> s = Files.list(model)) {
            files = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        for (String f : files) {
            (f.endsWith(".safetensors") ? lfs : regular).put(f, Files.readAllBytes(model.resolve(f)));
        }
        hub.createRepo(REPO, false);
        commit = hub.seedCommit(REPO, regular, lfs);
        secureHash = SecureHash.of(DirectoryHash.ofFiles(model, files), Ss58.encode(hotkey));
        node.registerNeuron(37, 5, hotkey);
    }

    @AfterEach
    void stop() {
        hub.close();
        node.close();
    }

    private LoadModel.Output run(String paramsJson) throws Exception {
        Endpoints e = new Endpoints(hub.endpoint(), "http://127.0.0.1:9",
                Map.of("finney", "ws://127.0.0.1:9", "test", "ws://127.0.0.1:9", "local", node.endpoint()));
        StageServices services = new StageServices(new Secrets(Optional.of(Secret.of(TOKEN)), Optional.empty(),
                Optional.empty()), e, dir, Clock.systemUTC());
        StageContext ctx = LoadModelTest.Contexts.context(LoadModelTest.Contexts.params(paramsJson), dir.resolve("run"),
                new LoadModelTest.Contexts.Recorded(),
                () -> false);
        return new LoadModel(services, ChainTestKit.fast()).run(ctx);
    }

    private void commitOnChain(String hash) {
        String ns = REPO.substring(0, REPO.indexOf('/'));
        String name = REPO.substring(REPO.indexOf('/') + 1);
        node.setCommitment(37, hotkey, 19_000, Data.raw(new ModelId(ns, name, commit, null, hash, 2).toCompressedString()));
    }

    @Test
    void loadUidDownloadsThePinnedSnapshotAndChecksItsHash() throws Exception {
        commitOnChain(secureHash);
        LoadModel.Output out = run("{\"load_uid\": 5, \"subtensor_network\": \"local\", \"model_dir\": \""
                + dir.resolve("models") + "\"}");
        assertEquals("load_uid", out.source());
        assertEquals("LlamaForCausalLM", out.architecture());
        Path snapshot = Path.of(out.modelDir());
        assertTrue(snapshot.endsWith(Path.of("models--" + FakeHub.USER + "--incumbent", "snapshots", commit)), snapshot.toString());
        assertTrue(Files.isRegularFile(snapshot.resolve("model.safetensors")));
    }

    @Test
    void hashThatDoesNotMatchTheChainIsRefusedNamingBoth() throws Exception {
        String wrong = SecureHash.of("not-the-dir-hash", Ss58.encode(hotkey));
        commitOnChain(wrong);
        StageException e = assertThrows(StageException.class, () -> run("{\"load_uid\": 5, \"subtensor_network\":"
                + " \"local\", \"model_dir\": \"" + dir.resolve("models") + "\"}"));
        assertTrue(e.getMessage().startsWith("--load_uid 5: "), e.getMessage());
        assertTrue(e.getMessage().contains(wrong) && e.getMessage().contains(secureHash), e.getMessage());
    }

    @Test
    void uidWithoutCommitmentIsAClearError() {
        StageException e = assertThrows(StageException.class, () -> run("{\"load_uid\": 5, \"subtensor_network\": \"local\"}"));
        assertTrue(e.getMessage().contains("--load_uid 5: no committed model"), e.getMessage());
    }
}
