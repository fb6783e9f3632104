package sn37.miner.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.fake.FakeHub;
import sn37.miner.fake.FakeHub.Kind;
import sn37.miner.hub.FileDigests;

class CommitCheckTest {
    private static final String REPO = FakeHub.USER + "/sn37-model";
    private static final long LIMIT = 10_000_000;

    @TempDir
    Path tmp;

    private FakeHubClients hub;
    private Path dir;
    private UploadPlan plan;

    @BeforeEach
    void start() throws Exception {
        hub = new FakeHubClients();
        hub.fake.createRepo(REPO, true);
        dir = TinyModels.write(tmp.resolve("model"), 4, 20_000, 90_000, 1);
        plan = UploadPlan.prepare(REPO, dir, TinyModels.b7(LIMIT), 2);
    }

    @AfterEach
    void stop() {
        hub.assertNoViolations();
        hub.close();
    }

    /** Commits the planned files directly: configs as regular files, weights as LFS, one of them replaced. */
    private String seed(String replaced, byte[] bytes) throws Exception {
        Map<String, byte[]> regular = new LinkedHashMap<>();
        Map<String, byte[]> lfs = new LinkedHashMap<>();
        for (String path : plan.files().keySet()) {
            byte[] data = path.equals(replaced) ? bytes : Files.readAllBytes(dir.resolve(path));
            (path.endsWith(".safetensors") ? lfs : regular).put(path, data);
        }
        return hub.fake.seedCommit(REPO, regular, lfs);
    }

    @Test
    void acceptsACommitHoldingExactlyThePlannedBytes() throws Exception {
        String commit = seed(null, null);

        CommitCheck check = CommitCheck.verify(hub.client(), plan, commit, LIMIT);

        assertEquals(plan.dirHash(), check.hubDirHash());
        String shard = "model-00001-of-00002.safetensors";
        assertEquals(FileDigests.sha256Hex(dir.resolve(shard)), check.files().get(shard).oid());
        assertEquals(FileDigests.gitBlobSha1Hex(dir.resolve("config.json")), check.files().get("config.json").oid());
        assertEquals(1, hub.fake.count(Kind.MODEL_INFO));
        assertEquals(0, hub.count(Kind.RESOLVE_GET, Kind.CDN_GET), "verified without downloading");
    }

    @Test
    void aShardWithOtherBytesFailsWithBothDirectoryHashes() throws Exception {
        String commit = seed("model-00002-of-00002.safetensors", new byte[] {1, 2, 3});

        PublishException e = assertThrows(PublishException.class,
                () -> CommitCheck.verify(hub.client(), plan, commit, LIMIT));

        assertTrue(e.getMessage().contains("the local files hash to " + plan.dirHash()), e.getMessage());
        assertTrue(e.getMessage().contains("the directory hash of the Hub's files is "), e.getMessage());
    }

    @Test
    void aRegularFileWithOtherBytesIsNamed() throws Exception {
        String commit = seed("config.json", "{}".getBytes());

        PublishException e = assertThrows(PublishException.class,
                () -> CommitCheck.verify(hub.client(), plan, commit, LIMIT));

        assertTrue(e.getMessage().contains("config.json has git blob"), e.getMessage());
    }

    @Test
    void aStaleSingleFileNextToTheShardsIsReported() throws Exception {
        seed(null, null);
        String commit = hub.fake.seedCommit(REPO, Map.of(), Map.of("model.safetensors", new byte[] {9}));

        PublishException e = assertThrows(PublishException.class,
                () -> CommitCheck.verify(hub.client(), plan, commit, LIMIT));

        assertTrue(e.getMessage().contains("model.safetensors is there but not part of the upload"), e.getMessage());
    }
}
