package sn37.miner.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubErrorsTest {
    private static final RepoId REPO = HubFixture.REPO_ID;

    @TempDir
    Path dir;

    private HubFixture hub;

    @BeforeEach
    void start() throws Exception {
        hub = new HubFixture();
        hub.fake.createRepo(HubFixture.REPO, true);
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @Test
    void badTokenIsUnauthorizedWithWhatToDoAndWithoutTheToken() {
        String badToken = "hf_badTokenXyz987654321";
        HubClient client = hub.client(HubToken.of(badToken.toCharArray()));

        UnauthorizedException e = assertThrows(UnauthorizedException.class, () -> client.modelInfo(REPO, "main"));

        assertEquals(401, e.status());
        assertTrue(e.getMessage().toLowerCase().contains("the token is invalid: create a new one with write access at "
                + hub.fake.endpoint() + "/settings/tokens"), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP 401") && e.getMessage().contains("request id req-"), e.getMessage());
        assertTrue(e.getMessage().contains(HubFixture.REPO), e.getMessage());
        assertFalse(e.getMessage().contains(badToken));
        assertFalse(String.valueOf(e).contains(badToken));
    }

    @Test
    void readOnlyTokenCannotCommit() throws Exception {
        HubClient client = hub.client(HubToken.of(HubFixture.READ_TOKEN));
        Path file = HubFixture.write(dir, "config.json", "{}".getBytes(StandardCharsets.UTF_8));

        ForbiddenException e = assertThrows(ForbiddenException.class, () -> client.commit(REPO, "main", null,
                "Upload", List.of(new CommitOperation.Add("config.json", file)), null));

        assertEquals(403, e.status());
        assertTrue(e.getMessage().contains("write access") && e.getMessage().contains("/settings/tokens"), e.getMessage());
        assertTrue(e.getMessage().contains("read-only"), e.getMessage());
        assertFalse(e.getMessage().contains(HubFixture.READ_TOKEN));
    }

    @Test
    void mapsRepoNotFoundWithRequestId() {
        RepoNotFoundException e = assertThrows(RepoNotFoundException.class,
                () -> hub.client().modelInfo(RepoId.parse("miner/missing"), "main"));

        assertEquals(404, e.status());
        assertEquals("RepoNotFound", e.errorCode());
        assertTrue(e.requestId().startsWith("req-"));
        assertTrue(e.getMessage().contains("miner/missing") && e.getMessage().contains("HTTP 404")
                && e.getMessage().contains("error code RepoNotFound")
                && e.getMessage().contains("request id " + e.requestId()), e.getMessage());
    }

    @Test
    void privateRepoWithoutATokenLooksNotFound() {
        RepoNotFoundException e = assertThrows(RepoNotFoundException.class,
                () -> hub.client(null).modelInfo(REPO, "main"));

        assertEquals(401, e.status());
    }

    @Test
    void mapsRevisionNotFound() {
        RevisionNotFoundException e = assertThrows(RevisionNotFoundException.class,
                () -> hub.client().modelInfo(REPO, "no-such-branch"));

        assertTrue(e.getMessage().contains("branch, tag or commit"), e.getMessage());
    }

    @Test
    void mapsGatedRepo() {
        hub.fake.seedCommit(HubFixture.REPO, Map.of("config.json", new byte[] {1}), Map.of());
        hub.fake.setGated(HubFixture.REPO);

        GatedRepoException e = assertThrows(GatedRepoException.class,
                () -> hub.client().fileMetadata(REPO, "main", "config.json"));

        assertTrue(e.getMessage().contains("Accept the access conditions"), e.getMessage());
    }

    @Test
    void tokenNeverShowsInToString() {
        assertEquals("HubToken[****]", HubToken.of(HubFixture.WRITE_TOKEN).toString());
    }
}
