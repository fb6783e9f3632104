package sn37.miner.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.fake.FakeHub.Kind;

class HubDownloadTest {
    private static final RepoId REPO = HubFixture.REPO_ID;
    private static final String SHARD = "model.safetensors";

    @TempDir
    Path dir;

    private HubFixture hub;
    private HubClient client;
    private final byte[] shard = HubFixture.bytes(100_000, 7);
    private final byte[] config = "{\"model_type\":\"llama\"}\n".getBytes(StandardCharsets.UTF_8);
    private String commit;
    private String shardOid;

    @BeforeEach
    void start() throws Exception {
        hub = new HubFixture();
        hub.fake.createRepo(HubFixture.REPO, true);
        commit = hub.fake.seedCommit(HubFixture.REPO, Map.of("config.json", config), Map.of(SHARD, shard));
        shardOid = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(shard));
        client = hub.client();
    }

    @AfterEach
    void stop() {
        hub.assertNoViolations();
        hub.close();
    }

    @Test
    void metadataOfAnLfsFileComesFromTheCrossHostRedirect() throws Exception {
        FileMetadata meta = client.fileMetadata(REPO, "main", SHARD);

        assertEquals(commit, meta.commit());
        assertEquals(shardOid, meta.etag());
        assertEquals(shard.length, meta.size());
        assertTrue(meta.redirected());
        assertEquals("localhost", meta.location().host());
        RecordedRequest head = hub.fake.requests(Kind.RESOLVE_HEAD).get(0);
        assertEquals("Bearer " + HubFixture.WRITE_TOKEN, head.getHeaders().get("Authorization"));
        assertEquals("identity", head.getHeaders().get("Accept-Encoding"));
    }

    @Test
    void downloadsAnLfsFileFromTheCdnWithoutTheToken() throws Exception {
        Path target = dir.resolve("out").resolve(SHARD);

        client.download(REPO, commit, SHARD, target);

        assertArrayEquals(shard, Files.readAllBytes(target));
        for (RecordedRequest get : hub.fake.requests(Kind.CDN_GET)) {
            assertNull(get.getHeaders().get("Authorization"));
            assertTrue(get.getHeaders().get("Host").startsWith("localhost:"));
        }
        assertEquals(1, hub.fake.count(Kind.CDN_GET));
        assertEquals(List.of(SHARD), fileNames(target.getParent()));
    }

    @Test
    void resumesAnInterruptedDownloadWithRangeAndVerifiesIt() throws Exception {
        hub.fake.truncateNextDownload(0.6);
        Path target = dir.resolve(SHARD);

        client.download(REPO, "main", SHARD, target);

        assertArrayEquals(shard, Files.readAllBytes(target));
        List<RecordedRequest> gets = hub.fake.requests(Kind.CDN_GET);
        assertEquals(2, gets.size());
        assertNull(gets.get(0).getHeaders().get("Range"));
        assertEquals("bytes=" + (int) (shard.length * 0.6) + "-", gets.get(1).getHeaders().get("Range"));
        assertEquals(HubFixture.seconds(1), hub.sleeps());
        assertEquals(List.of(SHARD), fileNames(dir));
    }

    @Test
    void resumesThePartialFileAnEarlierProcessLeft() throws Exception {
        Files.write(dir.resolve(shardOid + ".incomplete"), Arrays.copyOf(shard, 1000));

        client.download(REPO, "main", SHARD, dir.resolve(SHARD));

        assertArrayEquals(shard, Files.readAllBytes(dir.resolve(SHARD)));
        assertEquals("bytes=1000-", hub.fake.requests(Kind.CDN_GET).get(0).getHeaders().get("Range"));
    }

    @Test
    void startsOverWhenTheServerAnswersARangeWithTheWholeFile() throws Exception {
        byte[] stale = Arrays.copyOf(shard, 1000);
        stale[10] ^= 1;
        Files.write(dir.resolve(shardOid + ".incomplete"), stale);
        hub.fake.ignoreNextRange();

        client.download(REPO, "main", SHARD, dir.resolve(SHARD));

        assertArrayEquals(shard, Files.readAllBytes(dir.resolve(SHARD)));
        assertEquals(1, hub.fake.count(Kind.CDN_GET));
    }

    @Test
    void detectsACorruptedByteAndDiscardsTheFile() throws Exception {
        hub.fake.corruptDownloadsAt(4242);
        Path target = dir.resolve(SHARD);

        HubIntegrityException corrupt = assertThrows(HubIntegrityException.class,
                () -> client.download(REPO, "main", SHARD, target));

        assertTrue(corrupt.getMessage().contains("sha256"), corrupt.getMessage());
        assertTrue(corrupt.getMessage().contains(shardOid), corrupt.getMessage());
        assertFalse(Files.exists(target));
        assertEquals(List.of(), fileNames(dir));
    }

    @Test
    void downloadsARegularFileFromTheHubPinnedToTheCommit() throws Exception {
        Path target = dir.resolve("config.json");

        client.download(REPO, "main", "config.json", target);

        assertArrayEquals(config, Files.readAllBytes(target));
        RecordedRequest get = hub.fake.requests(Kind.RESOLVE_GET).get(0);
        assertTrue(get.getUrl().encodedPath().contains("/resolve/" + commit + "/"), get.getUrl().toString());
        assertNotNull(get.getHeaders().get("Authorization"));
        assertEquals(0, hub.fake.count(Kind.CDN_GET));
    }

    @Test
    void downloadsAnEmptyFile() throws Exception {
        hub.fake.seedCommit(HubFixture.REPO, Map.of("empty.txt", new byte[0]), Map.of());

        client.download(REPO, "main", "empty.txt", dir.resolve("empty.txt"));

        assertEquals(0, Files.size(dir.resolve("empty.txt")));
    }

    @Test
    void missingFileIsEntryNotFound() {
        EntryNotFoundException missing = assertThrows(EntryNotFoundException.class,
                () -> client.download(REPO, "main", "nope.bin", dir.resolve("nope.bin")));

        assertEquals(404, missing.status());
        assertTrue(missing.getMessage().contains("nope.bin"), missing.getMessage());
    }

    private static List<String> fileNames(Path folder) throws Exception {
        try (var files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
