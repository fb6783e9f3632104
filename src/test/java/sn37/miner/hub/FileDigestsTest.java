package sn37.miner.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDigestsTest {
    @TempDir
    Path dir;

    @Test
    void gitBlobSha1MatchesGitHashObject() throws Exception {
        Path hello = HubFixture.write(dir, "hello.txt", "hello\n".getBytes(StandardCharsets.UTF_8));
        Path empty = HubFixture.write(dir, "empty", new byte[0]);

        assertEquals("ce013625030ba8dba906f756967f9e9ca394464a", FileDigests.gitBlobSha1Hex(hello));
        assertEquals("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391", FileDigests.gitBlobSha1Hex(empty));
    }

    @Test
    void sha256IsTheLfsOid() throws Exception {
        Path hello = HubFixture.write(dir, "hello.txt", "hello\n".getBytes(StandardCharsets.UTF_8));

        assertEquals("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03", FileDigests.sha256Hex(hello));
    }

    @Test
    void sampleIsTheFirst512BytesInBase64() throws Exception {
        Path big = HubFixture.write(dir, "big", HubFixture.bytes(2000, 1));

        assertEquals(512, java.util.Base64.getDecoder().decode(FileDigests.sampleBase64(big)).length);
    }
}
