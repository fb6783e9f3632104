package sn37.miner.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sn37.miner.fake.FakeHub;
import sn37.miner.fake.FakeHub.Kind;

class HubRepoApiTest {
    private static final RepoId REPO = HubFixture.REPO_ID;

    private HubFixture hub;
    private HubClient client;

    @BeforeEach
    void start() throws Exception {
        hub = new HubFixture();
        client = hub.client();
    }

    @AfterEach
    void stop() {
        hub.assertNoViolations();
        hub.close();
    }

    @Test
    void whoamiIsAskedOncePerClient() throws Exception {
        WhoAmI first = client.whoami();
        WhoAmI second = client.whoami();

        assertEquals(new WhoAmI(FakeHub.USER, "user", List.of(FakeHub.ORG), "write"), first);
        assertEquals(first, second);
        assertEquals(1, hub.fake.count(Kind.WHOAMI));
    }

    @Test
    void createsAPrivateRepoAndAcceptsAnExistingOne() throws Exception {
        assertEquals(hub.fake.endpoint() + "/" + HubFixture.REPO, client.createPrivateRepo(REPO));
        client.createPrivateRepo(REPO);

        assertTrue(hub.fake.isPrivate(HubFixture.REPO));
        assertEquals(2, hub.fake.count(Kind.CREATE_REPO));
        JsonNode body = new ObjectMapper().readTree(hub.fake.requests(Kind.CREATE_REPO).get(0).getBody().utf8());
        assertEquals("model", body.get("type").asText());
        assertEquals("sn37-model", body.get("name").asText());
        assertEquals("miner", body.get("organization").asText());
        assertTrue(body.get("private").asBoolean());
    }

    @Test
    void creatingUnderAForeignNamespaceIsForbidden() {
        ForbiddenException e = assertThrows(ForbiddenException.class,
                () -> client.createPrivateRepo(RepoId.parse("someone-else/model")));

        assertTrue(e.getMessage().contains("someone-else/model"), e.getMessage());
        assertFalse(hub.fake.exists("someone-else/model"));
    }

    @Test
    void readOnlyTokenMayEnsureAnExistingRepoButNotCreateOne() throws Exception {
        hub.fake.createRepo(HubFixture.REPO, true);
        HubClient readOnly = hub.client(HubToken.of(HubFixture.READ_TOKEN));

        readOnly.createPrivateRepo(REPO);
        assertThrows(ForbiddenException.class, () -> readOnly.createPrivateRepo(RepoId.parse("miner/new-model")));

        assertFalse(hub.fake.exists("miner/new-model"));
    }

    @Test
    void listsFilesAcrossPages() throws Exception {
        hub.fake.createRepo(HubFixture.REPO, false);
        hub.fake.seedCommit(HubFixture.REPO, Map.of("config.json", new byte[] {1}, "tok/a.json", new byte[] {2},
                "tok/b.json", new byte[] {3}), Map.of("model.safetensors", new byte[] {4, 5}));

        List<RepoFile> files = client.listFiles(REPO, "main");

        assertEquals(Set.of(".gitattributes", "config.json", "tok/a.json", "tok/b.json", "model.safetensors"),
                files.stream().map(RepoFile::path).collect(Collectors.toSet()));
        assertEquals(3, hub.fake.count(Kind.TREE));
    }

    @Test
    void modelInfoCarriesSizesAndLfsHashes() throws Exception {
        hub.fake.createRepo(HubFixture.REPO, true);
        byte[] shard = HubFixture.bytes(5000, 9);
        String sha = hub.fake.seedCommit(HubFixture.REPO, Map.of("config.json", new byte[] {1, 2, 3}),
                Map.of("model.safetensors", shard));

        ModelInfo info = client.modelInfo(REPO, "main");

        assertEquals(sha, info.sha());
        assertTrue(info.isPrivate());
        RepoFile model = info.file("model.safetensors").orElseThrow();
        assertEquals(5000, model.size());
        assertTrue(model.isLfs());
        assertEquals(hub.fake.lfsObjects(HubFixture.REPO).keySet(), Set.of(model.lfsSha256()));
        RepoFile config = info.file("config.json").orElseThrow();
        assertNull(config.lfsSha256());
        assertEquals(3, config.size());
        assertEquals("true", hub.fake.requests(Kind.MODEL_INFO).get(0).getUrl().queryParameter("blobs"));
    }

    @Test
    void pathsInfoOmitsMissingPaths() throws Exception {
        hub.fake.createRepo(HubFixture.REPO, true);
        hub.fake.seedCommit(HubFixture.REPO, Map.of("config.json", new byte[] {1}), Map.of());

        List<RepoFile> files = client.pathsInfo(REPO, "main", List.of("config.json", "missing.bin"));

        assertEquals(List.of("config.json"), files.stream().map(RepoFile::path).toList());
    }

    @Test
    void listsCommitsNewestFirst() throws Exception {
        hub.fake.createRepo(HubFixture.REPO, true);
        String first = hub.fake.seedCommit(HubFixture.REPO, Map.of("a", new byte[] {1}), Map.of());
        String second = hub.fake.seedCommit(HubFixture.REPO, Map.of("b", new byte[] {1}), Map.of());

        List<CommitSummary> commits = client.listCommits(REPO, "main");

        assertEquals(3, commits.size());
        assertEquals(List.of(second, first), commits.subList(0, 2).stream().map(CommitSummary::id).toList());
    }

    @Test
    void flipsVisibility() throws Exception {
        hub.fake.createRepo(HubFixture.REPO, true);

        client.setPrivate(REPO, false);

        assertFalse(hub.fake.isPrivate(HubFixture.REPO));
    }
}
