package sn37.miner.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.fake.FakeHub.Kind;

class HubPartResumeTest {
    private static final RepoId REPO = HubFixture.REPO_ID;

    @TempDir
    Path dir;

    private HubFixture hub;
    private HubClient client;
    private PartJournal journal;
    private final byte[] shard = HubFixture.bytes(5 * 64 * 1024 + 11, 5);
    private List<CommitOperation> operations;
    private String oid;

    @BeforeEach
    void start() throws Exception {
        hub = new HubFixture();
        hub.fake.createRepo(HubFixture.REPO, true);
        // One part at a time, so the crash point is exact.
        client = HubClient.builder(hub.fake.endpoint(), HubToken.of(HubFixture.WRITE_TOKEN))
                .httpClient(new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(10)).build())
                .sleeper(hub.sleeps::add).partParallelism(1).build();
        journal = new FilePartJournal(dir.resolve("journal"));
        operations = List.of(new CommitOperation.Add("model.safetensors",
                HubFixture.write(dir, "model.safetensors", shard)));
        oid = FileDigests.sha256Hex(dir.resolve("model.safetensors"));
    }

    @AfterEach
    void stop() {
        hub.assertNoViolations();
        hub.close();
    }

    private void crashAfterParts(int parts) {
        AtomicInteger sent = new AtomicInteger();
        UploadListener dying = new UploadListener() {
            @Override
            public void partUploaded(String object, int partNumber) {
                if (sent.incrementAndGet() == parts) {
                    throw new IllegalStateException("simulated process death");
                }
            }
        };
        assertThrows(IllegalStateException.class,
                () -> client.commit(REPO, "main", null, "Upload", operations, dying, journal));
    }

    @Test
    void resumesAMultipartUploadAtThePartTheStorageLacked() throws Exception {
        crashAfterParts(2);
        assertEquals(2, hub.fake.partPuts(oid));
        assertEquals(2, journal.find(oid).orElseThrow().etags().size());

        CommitResult result = client.commit(REPO, "main", null, "Upload", operations, null, journal);

        assertEquals(6, hub.fake.partPuts(oid), "each of the 6 parts sent once");
        assertEquals(0, hub.fake.resentParts());
        assertEquals(1, hub.fake.count(Kind.LFS_COMPLETE));
        assertEquals(hub.fake.head(HubFixture.REPO), result.commitOid());
        assertArrayEquals(shard, hub.fake.headFiles(HubFixture.REPO).get("model.safetensors"));
        assertTrue(journal.find(oid).isEmpty(), "the journal entry is dropped once the object is stored");
    }

    @Test
    void startsTheObjectOverWhenTheSavedPartUrlsExpired() throws Exception {
        crashAfterParts(3);
        hub.fake.expireUploads();

        client.commit(REPO, "main", null, "Upload", operations, null, journal);

        assertEquals(3 + 6, hub.fake.partPuts(oid));
        assertArrayEquals(shard, hub.fake.headFiles(HubFixture.REPO).get("model.safetensors"));
        assertTrue(journal.find(oid).isEmpty());
    }

    @Test
    void withoutAJournalAnInterruptedObjectIsSentAgainFromItsFirstPart() throws Exception {
        AtomicInteger sent = new AtomicInteger();
        UploadListener dying = new UploadListener() {
            @Override
            public void partUploaded(String object, int partNumber) {
                if (sent.incrementAndGet() == 2) {
                    throw new IllegalStateException("simulated process death");
                }
            }
        };
        assertThrows(IllegalStateException.class, () -> client.commit(REPO, "main", null, "Upload", operations, dying));

        client.commit(REPO, "main", null, "Upload", operations, null);

        assertEquals(2 + 6, hub.fake.partPuts(oid));
        assertEquals(2, hub.fake.resentParts());
    }

    @Test
    void journalFilesAreOwnerOnlyAndATornOneIsIgnored() throws Exception {
        crashAfterParts(1);
        Path file = dir.resolve("journal").resolve(oid + ".json");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(file)));

        Files.writeString(file, "{\"oid\": \"" + oid + "\", \"partU");

        assertTrue(journal.find(oid).isEmpty());
    }
}
