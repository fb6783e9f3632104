package sn37.miner.e2e;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import sn37.miner.chain.ChainTestKit;
import sn37.miner.chain.Data;
import sn37.miner.chain.Ss58;
import sn37.miner.chain.crypto.Sr25519Keypair;
import sn37.miner.data.FinewebSampleSource;
import sn37.miner.fake.FakeDatasetViewer;
import sn37.miner.fake.FakeHub;
import sn37.miner.fake.FakeSubtensor;
import sn37.miner.fake.FakeWandb;
import sn37.miner.fake.FakeWandbKeys;
import sn37.miner.fake.FakeWandbRun;
import sn37.miner.metadata.ModelId;
import sn37.miner.model.Dtype;
import sn37.miner.model.llama.LlamaConfig;
import sn37.miner.model.llama.LlamaModel;
import sn37.miner.model.llama.LlamaWeights;
import sn37.miner.publish.TinyModels;
import sn37.miner.stage.LoadModel;

/**
 * Everything a real mining run talks to, on loopback: W&B holding an SN1 validator's multiple-choice rows, the Hub
 * holding uid 5's model (committed on chain with its secure hash), a Subtensor node where our hotkey is uid 11,
 * the dataset viewer holding fineweb-edu rows for FINEWEB, and our wallet. The secrets are sentinels: tests assert
 * they show up nowhere but in the requests that need them.
 */
public final class MinerWorld implements AutoCloseable {
    public static final String HF_TOKEN = "hf_SENTINELwrite7c1e4d1b77e0";
    public static final String WANDB_KEY = "wandbSENTINEL0c9e5d2f6a3b8e1d4c7f0a2b5e8d";
    /** The hotkey's secret seed in its wallet file (TinyModels.wallet), without 0x. */
    public static final String WALLET_SEED = "621fb3df3026b3f44e1c1b2408de1dd932aa2f96529f33937b7f10826b87cb4e";
    public static final int INCUMBENT_UID = 5;
    public static final int OUR_UID = 11;
    public static final String INCUMBENT_REPO = FakeHub.ORG + "/incumbent";
    public static final String REPO = FakeHub.USER + "/sn37-e2e";
    public static final int SAMPLES = 12;
    public static final long INCUMBENT_BLOCK = 19_000;

    public final Path dir;
    public final FakeHub hub;
    public final FakeSubtensor node;
    public final FakeWandb wandb;
    public final FakeDatasetViewer viewer;
    public final Path wallets;
    public final Path incumbentFiles;
    public final String incumbentCommit;
    public final String incumbentMetadata;
    public final Sr25519Keypair incumbentKey = ChainTestKit.key(55);
    public final List<String> challenges;

    private MinerWorld(Path dir, FakeHub hub, FakeSubtensor node, FakeWandb wandb, FakeDatasetViewer viewer,
            Path wallets, Path incumbentFiles, String incumbentCommit, String incumbentMetadata,
            List<String> challenges) {
        this.dir = dir;
        this.hub = hub;
        this.node = node;
        this.wandb = wandb;
        this.viewer = viewer;
        this.wallets = wallets;
        this.incumbentFiles = incumbentFiles;
        this.incumbentCommit = incumbentCommit;
        this.incumbentMetadata = incumbentMetadata;
        this.challenges = challenges;
    }

    public static MinerWorld create(Path dir) throws Exception {
        FakeHub hub = FakeHub.start(HF_TOKEN, "hf_readonly_token");
        FakeSubtensor node = FakeSubtensor.start(FakeSubtensor.Runtime.RAONET_218, 20_000);
        FakeWandb wandb = FakeWandb.start(WANDB_KEY);
        FakeDatasetViewer viewer = FakeDatasetViewer.start(FinewebSampleSource.DATASET, HF_TOKEN);
        List<com.fasterxml.jackson.databind.node.ObjectNode> texts = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            texts.add(FakeDatasetViewer.finewebRow("CC-MAIN-2024-10", i, "Lesson " + i + ": rivers carve valleys."));
        }
        viewer.split(FinewebSampleSource.DATASET, "CC-MAIN-2024-10", "train", texts);
        Sr25519Keypair incumbentKey = ChainTestKit.key(55);
        node.registerNeuron(37, INCUMBENT_UID, incumbentKey.publicKey());
        node.registerNeuron(37, OUR_UID, ChainTestKit.testHotkey().publicKey());

        Path incumbent = dir.resolve("incumbent-source");
        try (LlamaModel m = LlamaWeights.initialize(LlamaConfig.from(LoadModel.readInitConfig("tiny-llama")), 5,
                Device.cpu())) {
            LlamaWeights.save(m, incumbent, Dtype.BF16, null);
        }
        Map<String, byte[]> regular = new LinkedHashMap<>();
        Map<String, byte[]> lfs = new LinkedHashMap<>();
        for (String f : files(incumbent)) {
            (f.endsWith(".safetensors") ? lfs : regular).put(f, Files.readAllBytes(incumbent.resolve(f)));
        }
        hub.createRepo(INCUMBENT_REPO, false);
        String commit = hub.seedCommit(INCUMBENT_REPO, regular, lfs);
        String secureHash = HashRecomputation.secureHash(incumbent, Ss58.encode(incumbentKey.publicKey()));
        String metadata = new ModelId(FakeHub.ORG, "incumbent", commit, null, secureHash, 2).toCompressedString();
        node.setCommitment(37, incumbentKey.publicKey(), INCUMBENT_BLOCK, Data.raw(metadata));

        Instant now = Instant.now();
        FakeWandbRun run = FakeWandbRun.signedBy(FakeWandbKeys.key(1), "sn1-validator-run").state("running")
                .createdAt(now.minus(Duration.ofHours(2))).updatedAt(now);
        List<String> challenges = new java.util.ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
            String challenge = FakeWandbKeys.challenge("Which option is number " + (i % 4 + 1) + " in question " + i + "?");
            challenges.add(challenge);
            run.mcRow(100 + i, now.getEpochSecond() - 120 + i, challenge, "ABCD".substring(i % 4, i % 4 + 1));
        }
        wandb.add(run);
        Path wallets = TinyModels.wallet(dir.resolve("wallets"), "miner", "default");
        return new MinerWorld(dir, hub, node, wandb, viewer, wallets, incumbent, commit, metadata,
                List.copyOf(challenges));
    }

    static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Configuration keys that point the miner at these fakes. */
    public Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("miner.hub.endpoint", hub.endpoint());
        s.put("miner.wandb.base-url", wandb.baseUrl());
        s.put("miner.data.hf.viewer-url", viewer.baseUrl());
        s.put("miner.subtensor.local", node.endpoint());
        s.put("miner.data.sn1-validators", FakeWandbKeys.hotkey(1));
        s.put("miner.data.wandb.mode", "latest");
        s.put("miner.data.wandb.steps", "50");
        s.put("pipeline.api.models-root", dir.resolve("models").toString()); // the run's model_dir
        return s;
    }

    /** The process environment the secrets come from. */
    public Map<String, String> env() {
        return Map.of("HF_ACCESS_TOKEN", HF_TOKEN, "WANDB_ACCESS_TOKEN", WANDB_KEY);
    }

    /** POST /api/runs: start from uid 5's model, train a little, pass the gate, publish to {@link #REPO}. */
    public Map<String, Object> runParams() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("load_uid", INCUMBENT_UID);
        p.put("subtensor_network", "local");
        p.put("data_source", "wandb");
        p.put("model_dir", dir.resolve("models").toString());
        p.put("hf_repo_id", REPO);
        p.put("wallet_path", wallets.toString());
        p.put("wallet_name", "miner");
        p.put("wallet_hotkey", "default");
        p.put("max_steps", 2);
        p.put("batch_size", 4);
        p.put("accumulation_steps", 1);
        p.put("lr", 0.003);
        p.put("seed", 7);
        p.put("avg_loss_upload_threshold", 1000.0);
        return p;
    }

    /** What must never leave the places that hold it. */
    public static List<String> secrets() {
        return List.of(HF_TOKEN, WANDB_KEY, WALLET_SEED);
    }

    @Override
    public void close() {
        hub.close();
        node.close();
        wandb.close();
        viewer.close();
    }
}
