package sn37.miner.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.fake.FakeHub;
import sn37.miner.fake.FakeHub.Kind;

class HubUploadTest {
    private static final RepoId REPO = HubFixture.REPO_ID;

    @TempDir
    Path dir;

    private HubFixture hub;
    private HubClient client;
    private final byte[] config = "{\"architectures\":[\"LlamaForCausalLM\"]}".getBytes(StandardCharsets.UTF_8);
    private final byte[] readme = "# sn37 model\n".getBytes(StandardCharsets.UTF_8);
    private final byte[] smallShard = HubFixture.bytes(40 * 1024, 1);
    private final byte[] bigShard = HubFixture.bytes(200 * 1024 + 123, 2);
    private final byte[] otherBigShard = HubFixture.bytes(3 * 64 * 1024 + 7, 3);

    @BeforeEach
    void start() throws Exception {
        hub = new HubFixture();
        hub.fake.createRepo(HubFixture.REPO, true);
        client = hub.client();
    }

    @AfterEach
    void stop() {
        hub.assertNoViolations();
        hub.close();
    }

    @Test
    void uploadsRegularBasicAndMultipartFilesInOneCommit() throws Exception {
        hub.fake.seedCommit(HubFixture.REPO, Map.of("old.bin.txt", "stale".getBytes(StandardCharsets.UTF_8)), Map.of());
        String parent = hub.fake.head(HubFixture.REPO);
        List<CommitOperation> operations = new ArrayList<>(modelFiles());
        operations.add(new CommitOperation.Delete("old.bin.txt"));

        PreparedCommit prepared = client.prepareCommit(REPO, "main", null, "Upload LlamaForCausalLM", operations,
                UploadListener.NONE, PartJournal.NONE);
        assertEquals(0, hub.fake.count(Kind.COMMIT), "preparing uploads the objects but sends no commit");
        CommitResult result = client.send(prepared);

        assertTrue(result.created());
        assertEquals(hub.fake.head(HubFixture.REPO), result.commitOid());
        assertEquals(hub.fake.endpoint() + "/" + HubFixture.REPO + "/commit/" + result.commitOid(), result.commitUrl());
        assertEquals(parent, prepared.parentCommit());
        assertEquals(1, hub.fake.commitsApplied(HubFixture.REPO));
        assertEquals(1, hub.fake.count(Kind.COMMIT));
        Map<String, byte[]> head = hub.fake.headFiles(HubFixture.REPO);
        assertEquals(Set.of("config.json", "README.md", "model-00001-of-00002.safetensors",
                "model-00002-of-00002.safetensors"), head.keySet());
        assertArrayEquals(config, head.get("config.json"));
        assertArrayEquals(readme, head.get("README.md"));
        assertArrayEquals(bigShard, head.get("model-00001-of-00002.safetensors"));
        assertArrayEquals(smallShard, head.get("model-00002-of-00002.safetensors"));
        assertTrue(hub.fake.isLfs(HubFixture.REPO, "model-00001-of-00002.safetensors"));
        assertFalse(hub.fake.isLfs(HubFixture.REPO, "config.json"));

        String bigOid = sha256(bigShard);
        assertEquals(4, hub.fake.partPuts(bigOid));
        assertEquals(1, hub.fake.basicPuts(sha256(smallShard)));
        assertEquals(1, hub.fake.count(Kind.LFS_VERIFY));
        assertEquals(1, hub.fake.count(Kind.LFS_COMPLETE));
        Map<String, CommitEntry> byPath = new TreeMap<>();
        prepared.entries().forEach(e -> byPath.put(e.path(), e));
        assertEquals(new CommitEntry("model-00001-of-00002.safetensors", CommitEntry.Kind.LFS, bigOid, bigShard.length),
                byPath.get("model-00001-of-00002.safetensors"));
        assertEquals(FileDigests.gitBlobSha1Hex(dir.resolve("config.json")), byPath.get("config.json").oid());
        assertEquals(CommitEntry.deletion("old.bin.txt"), byPath.get("old.bin.txt"));

        RecordedRequest commit = hub.fake.requests(Kind.COMMIT).get(0);
        assertEquals("application/x-ndjson", commit.getHeaders().get("Content-Type"));
        String[] lines = commit.getBody().utf8().split("\n");
        assertTrue(lines[0].contains("\"key\":\"header\"") && lines[0].contains("\"parentCommit\":\"" + parent + "\""));
        assertEquals(6, lines.length);
        for (RecordedRequest put : hub.fake.requests(Kind.LFS_PART_PUT)) {
            assertNull(put.getHeaders().get("Authorization"));
        }
        assertNull(hub.fake.requests(Kind.LFS_COMPLETE).get(0).getHeaders().get("Authorization"));
    }

    @Test
    void skipsFilesTheHubAlreadyHoldsWithTheSameOid() throws Exception {
        hub.fake.seedCommit(HubFixture.REPO, Map.of("config.json", config),
                Map.of("model-00002-of-00002.safetensors", smallShard));
        List<CommitOperation> operations = List.of(
                add("config.json", config), add("model-00002-of-00002.safetensors", smallShard), add("README.md", readme));

        CommitResult result = client.commit(REPO, "main", null, "Upload", operations, UploadListener.NONE);

        assertTrue(result.created());
        assertEquals(0, hub.fake.count(Kind.LFS_BATCH));
        String body = hub.fake.requests(Kind.COMMIT).get(0).getBody().utf8();
        assertEquals(2, body.split("\n").length, body);
        assertTrue(body.contains("README.md"));
        assertArrayEquals(readme, hub.fake.headFiles(HubFixture.REPO).get("README.md"));
    }

    @Test
    void makesNoCommitWhenEverythingIsAlreadyThere() throws Exception {
        String head = hub.fake.seedCommit(HubFixture.REPO, Map.of("config.json", config), Map.of());

        CommitResult result = client.commit(REPO, "main", null, "Upload", List.of(add("config.json", config)), null);

        assertFalse(result.created());
        assertEquals(head, result.commitOid());
        assertEquals(0, hub.fake.count(Kind.COMMIT));
    }

    @Test
    void skipsLfsObjectsTheBatchReportsAsStored() throws Exception {
        hub.fake.seedLfsObject(HubFixture.REPO, bigShard);
        List<String> stored = new ArrayList<>();
        UploadListener listener = new UploadListener() {
            @Override
            public void objectStored(String oid) {
                stored.add(oid);
            }
        };

        client.commit(REPO, "main", null, "Upload", List.of(add("model.safetensors", bigShard)), listener);

        assertEquals(1, hub.fake.count(Kind.LFS_BATCH));
        assertEquals(0, hub.fake.count(Kind.LFS_PART_PUT) + hub.fake.count(Kind.LFS_BASIC_PUT));
        assertEquals(List.of(sha256(bigShard)), stored);
        assertArrayEquals(bigShard, hub.fake.headFiles(HubFixture.REPO).get("model.safetensors"));
    }

    @Test
    void resumesAfterAProcessDeathBetweenPartsWithoutResendingFinishedObjects() throws Exception {
        List<CommitOperation> operations = List.of(add("small.safetensors", smallShard),
                add("a.safetensors", bigShard), add("b.safetensors", otherBigShard));
        String oidA = sha256(bigShard);
        String oidB = sha256(otherBigShard);
        AtomicInteger partsOfB = new AtomicInteger();
        UploadListener dying = new UploadListener() {
            @Override
            public void partUploaded(String oid, int partNumber) {
                if (oid.equals(oidB) && partsOfB.incrementAndGet() == 2) {
                    throw new SimulatedCrash();
                }
            }
        };

        assertThrows(SimulatedCrash.class, () -> client.commit(REPO, "main", null, "Upload", operations, dying));
        assertEquals(0, hub.fake.commitsApplied(HubFixture.REPO));
        int partsOfBBefore = hub.fake.partPuts(oidB);
        assertTrue(partsOfBBefore >= 2 && partsOfBBefore <= 4, "parts of B sent before the crash: " + partsOfBBefore);

        CommitResult result = hub.client().commit(REPO, "main", null, "Upload", operations, UploadListener.NONE);

        assertTrue(result.created());
        assertEquals(1, hub.fake.basicPuts(sha256(smallShard)));
        assertEquals(4, hub.fake.partPuts(oidA));
        assertEquals(partsOfBBefore + 4, hub.fake.partPuts(oidB));
        assertEquals(1, hub.fake.count(Kind.COMMIT));
        assertEquals(1, hub.fake.commitsApplied(HubFixture.REPO));
        assertArrayEquals(otherBigShard, hub.fake.headFiles(HubFixture.REPO).get("b.safetensors"));
        assertArrayEquals(bigShard, hub.fake.headFiles(HubFixture.REPO).get("a.safetensors"));
    }

    @Test
    void lostCommitResponseIsReconciledWithoutASecondCommit() throws Exception {
        String parent = hub.fake.head(HubFixture.REPO);
        hub.fake.dropResponseNext(Kind.COMMIT);

        CommitOutcomeUnknownException lost = assertThrows(CommitOutcomeUnknownException.class,
                () -> client.commit(REPO, "main", null, "Upload", modelFiles(), UploadListener.NONE));

        assertEquals(parent, lost.parentCommit());
        assertEquals(REPO, lost.repo());
        assertEquals(4, lost.entries().size());
        assertTrue(lost.getMessage().contains("reconcile"), lost.getMessage());
        assertEquals(1, hub.fake.commitsApplied(HubFixture.REPO));

        Optional<CommitResult> found = client.reconcile(lost);

        assertEquals(Optional.of(hub.fake.head(HubFixture.REPO)), found.map(CommitResult::commitOid));
        assertEquals(1, hub.fake.count(Kind.COMMIT));
        assertEquals(1, hub.fake.commitsApplied(HubFixture.REPO));
    }

    @Test
    void reconcileFindsTheCommitEvenAfterOthersCommittedOnTop() throws Exception {
        hub.fake.pageSize(1);
        hub.fake.dropResponseNext(Kind.COMMIT);
        CommitOutcomeUnknownException lost = assertThrows(CommitOutcomeUnknownException.class,
                () -> client.commit(REPO, "main", null, "Upload", modelFiles(), UploadListener.NONE));
        String ours = hub.fake.head(HubFixture.REPO);
        hub.fake.seedCommit(HubFixture.REPO, Map.of("notes.txt", readme), Map.of());
        hub.fake.seedCommit(HubFixture.REPO, Map.of("notes2.txt", readme), Map.of());

        Optional<CommitResult> found = client.reconcile(lost);

        assertEquals(Optional.of(ours), found.map(CommitResult::commitOid));
    }

    @Test
    void reconcileReportsACommitThatDidNotLandSoItCanBeSentAgain() throws Exception {
        hub.fake.failNext(Kind.COMMIT, 502, 1);
        CommitOutcomeUnknownException lost = assertThrows(CommitOutcomeUnknownException.class,
                () -> client.commit(REPO, "main", null, "Upload", modelFiles(), UploadListener.NONE));
        assertEquals(502, lost.status());
        assertTrue(lost.requestId().startsWith("req-"));

        assertEquals(Optional.empty(), client.reconcile(lost));
        CommitResult result = client.commit(REPO, "main", lost.parentCommit(), "Upload", modelFiles(), null);

        assertEquals(hub.fake.head(HubFixture.REPO), result.commitOid());
        assertEquals(1, hub.fake.commitsApplied(HubFixture.REPO));
        assertEquals(0, hub.sleeps().size());
    }

    @Test
    void rateLimitedCommitIsRetried() throws Exception {
        hub.fake.rateLimitNext(Kind.COMMIT, 0);

        client.commit(REPO, "main", null, "Upload", List.of(add("config.json", config)), null);

        assertEquals(HubFixture.seconds(1), hub.sleeps());
        assertEquals(2, hub.fake.count(Kind.COMMIT));
        assertEquals(1, hub.fake.commitsApplied(HubFixture.REPO));
    }

    @Test
    void staleParentCommitIsAConflict() throws Exception {
        String stale = hub.fake.head(HubFixture.REPO);
        hub.fake.seedCommit(HubFixture.REPO, Map.of("other.txt", readme), Map.of());

        CommitConflictException conflict = assertThrows(CommitConflictException.class,
                () -> client.commit(REPO, "main", stale, "Upload", List.of(add("config.json", config)), null));

        assertEquals(412, conflict.status());
        assertTrue(conflict.getMessage().contains(HubFixture.REPO), conflict.getMessage());
        assertEquals(0, hub.fake.commitsApplied(HubFixture.REPO));
    }

    @Test
    void refusedLfsObjectIsAClearError() throws Exception {
        String oid = sha256(smallShard);
        hub.fake.rejectLfsObject(oid, 422, "object exceeds the size limit");

        LfsObjectException refused = assertThrows(LfsObjectException.class,
                () -> client.commit(REPO, "main", null, "Upload", List.of(add("m.safetensors", smallShard)), null));

        assertEquals(oid, refused.oid());
        assertTrue(refused.getMessage().contains("object exceeds the size limit"), refused.getMessage());
        assertTrue(refused.getMessage().contains(HubFixture.REPO), refused.getMessage());
        assertEquals(0, hub.fake.count(Kind.COMMIT));
    }

    @Test
    void droppedPartUploadIsResentFromItsFileSlice() throws Exception {
        hub.fake.dropResponseNext(Kind.LFS_PART_PUT);

        client.commit(REPO, "main", null, "Upload", List.of(add("a.safetensors", bigShard)), null);

        assertEquals(5, hub.fake.partPuts(sha256(bigShard)));
        assertEquals(HubFixture.seconds(1), hub.sleeps());
        assertArrayEquals(bigShard, hub.fake.headFiles(HubFixture.REPO).get("a.safetensors"));
    }

    @Test
    void preuploadSendsAtMost256FilesPerCall() throws Exception {
        List<CommitOperation> operations = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            operations.add(add("shards/part-" + i + ".txt", ("part " + i).getBytes(StandardCharsets.UTF_8)));
        }

        client.commit(REPO, "main", null, "Upload many", operations, null);

        assertEquals(2, hub.fake.count(Kind.PREUPLOAD));
        assertEquals(300, hub.fake.headFiles(HubFixture.REPO).size());
    }

    @Test
    void findCommitWithFilesComparesOidsAndDeletions() throws Exception {
        CommitResult result = client.commit(REPO, "main", null, "Upload", modelFiles().subList(0, 3), null);
        String configOid = FileDigests.gitBlobSha1Hex(dir.resolve("config.json"));
        String shardOid = sha256(bigShard);

        assertEquals(Optional.of(result.commitOid()), client.findCommitWithFiles(REPO, "main",
                Map.of("config.json", configOid, "model-00001-of-00002.safetensors", shardOid), List.of("old.txt")));
        assertEquals(Optional.empty(), client.findCommitWithFiles(REPO, "main",
                Map.of("config.json", shardOid), List.of()));
        assertEquals(Optional.empty(), client.findCommitWithFiles(REPO, "main",
                Map.of(), List.of("config.json")));
    }

    private List<CommitOperation> modelFiles() throws Exception {
        return List.of(add("config.json", config), add("README.md", readme),
                add("model-00001-of-00002.safetensors", bigShard), add("model-00002-of-00002.safetensors", smallShard));
    }

    private CommitOperation add(String path, byte[] data) throws Exception {
        return new CommitOperation.Add(path, HubFixture.write(dir, path, data));
    }

    private static String sha256(byte[] data) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash() {
            super("simulated process death");
        }
    }
}
