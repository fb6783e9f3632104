package sn37.miner.publish;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.competition.ModelConstraints;
import sn37.miner.fake.FakeHub;
import sn37.miner.fake.FakeHub.Kind;
import sn37.miner.hub.FileDigests;
import sn37.miner.hub.HubIntegrityException;
import sn37.miner.metadata.DirectoryHash;
import sn37.miner.metadata.ModelId;
import sn37.miner.metadata.SecureHash;

class ModelDownloadTest {
    private static final String NS = FakeHub.USER;
    private static final String NAME = "sn37-model";
    private static final String REPO = NS + "/" + NAME;
    private static final ModelConstraints LIMITS = TinyModels.b7(10_000_000);
    private static final String SHARD = "model-00002-of-00002.safetensors";

    @TempDir
    Path tmp;

    private FakeHubClients hub;
    private Path source;
    private Path root;
    private String commit;
    private String dirHash;

    @BeforeEach
    void start() throws Exception {
        hub = new FakeHubClients();
        hub.fake.createRepo(REPO, false);
        source = TinyModels.write(tmp.resolve("source"), 4, 20_000, 90_000, 1);
        List<String> files = List.of("config.json", "generation_config.json", "model.safetensors.index.json",
                "model-00001-of-00002.safetensors", SHARD);
        commit = seed(files, Map.of("README.md", "# card\n".getBytes(StandardCharsets.UTF_8)));
        dirHash = DirectoryHash.ofFiles(source, files);
        root = tmp.resolve("cache");
    }

    @AfterEach
    void stop() {
        hub.assertNoViolations();
        hub.close();
    }

    private String seed(List<String> files, Map<String, byte[]> extra) throws Exception {
        Map<String, byte[]> regular = new LinkedHashMap<>(extra);
        Map<String, byte[]> lfs = new LinkedHashMap<>();
        for (String path : files) {
            (path.endsWith(".safetensors") ? lfs : regular).put(path, Files.readAllBytes(source.resolve(path)));
        }
        return hub.fake.seedCommit(REPO, regular, lfs);
    }

    private ModelId id(String secureHash) {
        return new ModelId(NS, NAME, commit, null, secureHash, 2);
    }

    private ModelSnapshot fetch() throws Exception {
        return new ModelDownload(hub.client()).fetch(id(SecureHash.of(dirHash, TinyModels.HOTKEY)), LIMITS, root,
                TinyModels.HOTKEY);
    }

    private int downloads() {
        return hub.count(Kind.RESOLVE_HEAD, Kind.RESOLVE_GET, Kind.CDN_GET);
    }

    @Test
    void downloadsThePinnedCommitIntoTheCacheLayoutValidatorsHash() throws Exception {
        hub.fake.seedCommit(REPO, Map.of(), Map.of(SHARD, new byte[] {1, 2, 3}));

        ModelSnapshot snapshot = fetch();

        Path expected = root.resolve("models--" + NS + "--" + NAME).resolve("snapshots").resolve(commit);
        assertEquals(expected, snapshot.dir());
        assertEquals(dirHash, snapshot.dirHash());
        assertEquals(dirHash, DirectoryHash.of(snapshot.dir()), "the snapshot holds exactly the hashed files");
        assertArrayEquals(Files.readAllBytes(source.resolve(SHARD)), Files.readAllBytes(expected.resolve(SHARD)));
        assertEquals(5, snapshot.downloaded());
        assertTrue(hub.fake.requests(Kind.MODEL_INFO).get(0).getUrl().encodedPath().endsWith("/revision/" + commit));
        assertTrue(Files.list(expected.getParent().getParent().resolve("blobs")).findAny().isEmpty(),
                "blobs are moved into the snapshot");
    }

    @Test
    void aSecondCallWithTheSnapshotCompleteDownloadsNothing() throws Exception {
        fetch();
        int before = downloads();

        ModelSnapshot again = fetch();

        assertEquals(before, downloads());
        assertEquals(0, again.downloaded());
        assertEquals(dirHash, again.dirHash());
    }

    @Test
    void aDamagedFileLeftByAnEarlierRunIsDownloadedAgain() throws Exception {
        ModelSnapshot first = fetch();
        byte[] bytes = Files.readAllBytes(first.dir().resolve(SHARD));
        bytes[100] ^= 1;
        Files.write(first.dir().resolve(SHARD), bytes);

        ModelSnapshot again = fetch();

        assertEquals(1, again.downloaded());
        assertEquals(dirHash, again.dirHash());
    }

    @Test
    void checksTheSizeOfEveryFileBeforeDownloading() throws Exception {
        long total = hub.client().modelInfo(sn37.miner.hub.RepoId.parse(REPO), commit).totalSize();
        ModelConstraints tight = TinyModels.b7(total - 1);

        PublishException e = assertThrows(PublishException.class, () -> new ModelDownload(hub.client())
                .fetch(id(SecureHash.of(dirHash, TinyModels.HOTKEY)), tight, root, TinyModels.HOTKEY));

        assertTrue(e.getMessage().contains("holds " + total + " bytes, over the competition's limit"), e.getMessage());
        assertEquals(0, downloads());
    }

    @Test
    void resumesAnInterruptedDownloadAndVerifiesIt() throws Exception {
        hub.fake.truncateNextDownload(0.6);

        ModelSnapshot snapshot = fetch();

        assertEquals(dirHash, snapshot.dirHash());
        assertTrue(hub.fake.requests(Kind.RESOLVE_GET).stream().anyMatch(r -> r.getHeaders().get("Range") != null)
                || hub.fake.requests(Kind.CDN_GET).stream().anyMatch(r -> r.getHeaders().get("Range") != null));
    }

    @Test
    void resumesThePartialBlobAnEarlierProcessLeft() throws Exception {
        byte[] shard = Files.readAllBytes(source.resolve(SHARD));
        Path blobs = root.resolve("models--" + NS + "--" + NAME).resolve("blobs");
        Files.createDirectories(blobs);
        Files.write(blobs.resolve(FileDigests.sha256Hex(source.resolve(SHARD)) + ".incomplete"),
                Arrays.copyOf(shard, shard.length * 6 / 10));

        fetch();

        assertTrue(hub.fake.requests(Kind.CDN_GET).stream()
                .anyMatch(r -> ("bytes=" + shard.length * 6 / 10 + "-").equals(r.getHeaders().get("Range"))));
    }

    @Test
    void aCorruptedByteIsDetected() throws Exception {
        hub.fake.corruptDownloadsAt(50);

        HubIntegrityException e = assertThrows(HubIntegrityException.class, this::fetch);

        assertTrue(e.getMessage().contains("expected"), e.getMessage());
    }

    @Test
    void aSecureHashMismatchNamesBothHashes() throws Exception {
        String chain = SecureHash.of(dirHash, "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");

        PublishException e = assertThrows(PublishException.class, () -> new ModelDownload(hub.client())
                .fetch(id(chain), LIMITS, root, TinyModels.HOTKEY));

        assertTrue(e.getMessage().contains("the chain's secure hash is " + chain), e.getMessage());
        assertTrue(e.getMessage().contains("give " + SecureHash.of(dirHash, TinyModels.HOTKEY)), e.getMessage());
    }

    @Test
    void refusesARepoWithOnlyBinWeights() throws Exception {
        hub.fake.createRepo(NS + "/bin-model", false);
        String binCommit = hub.fake.seedCommit(NS + "/bin-model", Map.of("config.json", "{}".getBytes()),
                Map.of("pytorch_model.bin", new byte[] {1}));

        PublishException e = assertThrows(PublishException.class, () -> new ModelDownload(hub.client())
                .fetch(new ModelId(NS, "bin-model", binCommit, null, "x", 2), LIMITS, root, TinyModels.HOTKEY));

        assertTrue(e.getMessage().contains("only PyTorch .bin weights"), e.getMessage());
        assertEquals(0, downloads());
    }

    @Test
    void acceptsAModelWhoseCommitterHashedNoTokenizerFiles() throws Exception {
        commit = hub.fake.seedCommit(REPO, Map.of("tokenizer.json", "{}".getBytes()), Map.of());

        ModelSnapshot snapshot = fetch();

        assertEquals(dirHash, snapshot.dirHash());
        assertTrue(Files.exists(snapshot.dir().resolve("tokenizer.json")));
        assertTrue(!snapshot.files().contains("tokenizer.json"));
    }

    @Test
    void hashesTheTokenizerFilesWhenTheCommitterDid() throws Exception {
        commit = hub.fake.seedCommit(REPO, Map.of("tokenizer.json", "{}".getBytes()), Map.of());
        Files.write(source.resolve("tokenizer.json"), "{}".getBytes());
        dirHash = DirectoryHash.ofFiles(source, List.of("config.json", "generation_config.json",
                "model.safetensors.index.json", "model-00001-of-00002.safetensors", SHARD, "tokenizer.json"));

        ModelSnapshot snapshot = fetch();

        assertEquals(dirHash, snapshot.dirHash());
        assertTrue(snapshot.files().contains("tokenizer.json"));
    }
}
