package sn37.miner.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sn37.miner.fake.FakeHub.Kind;

class HubRetryTest {
    private static final RepoId REPO = HubFixture.REPO_ID;

    private HubFixture hub;
    private HubClient client;

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
    void waitsForTheRateLimitWindowOn429() throws Exception {
        hub.fake.rateLimitNext(Kind.MODEL_INFO, 2);

        client.modelInfo(REPO, "main");

        assertEquals(HubFixture.seconds(3), hub.sleeps());
        assertEquals(2, hub.fake.count(Kind.MODEL_INFO));
    }

    @Test
    void retriesTwo500sThenSucceeds() throws Exception {
        hub.fake.failNext(Kind.MODEL_INFO, 500, 2);

        ModelInfo info = client.modelInfo(REPO, "main");

        assertEquals(hub.fake.head(HubFixture.REPO), info.sha());
        assertEquals(HubFixture.seconds(1, 2), hub.sleeps());
        assertEquals(3, hub.fake.count(Kind.MODEL_INFO));
    }

    @Test
    void succeedsOnTheLastOfFiveRetries() throws Exception {
        hub.fake.failNext(Kind.MODEL_INFO, 502, 5);

        client.modelInfo(REPO, "main");

        assertEquals(HubFixture.seconds(1, 2, 4, 8, 8), hub.sleeps());
        assertEquals(6, hub.fake.count(Kind.MODEL_INFO));
    }

    @Test
    void givesUpAfterFiveRetriesWithAClearError() {
        hub.fake.failNext(Kind.MODEL_INFO, 503, 6);

        HubException e = assertThrows(HubException.class, () -> client.modelInfo(REPO, "main"));

        assertEquals(503, e.status());
        assertEquals("req-6", e.requestId());
        assertTrue(e.getMessage().startsWith("model info at main for " + HubFixture.REPO + " failed after 6 attempts:"
                + " HTTP 503, error code none, request id req-6"), e.getMessage());
        assertTrue(e.getMessage().endsWith("quote the request id to Hugging Face if it persists."), e.getMessage());
        assertEquals(HubFixture.seconds(1, 2, 4, 8, 8), hub.sleeps());
        assertEquals(6, hub.fake.count(Kind.MODEL_INFO));
    }

    @Test
    void persistent429IsRateLimited() {
        for (int i = 0; i < 6; i++) {
            hub.fake.rateLimitNext(Kind.MODEL_INFO, 1);
        }

        RateLimitedException e = assertThrows(RateLimitedException.class, () -> client.modelInfo(REPO, "main"));

        assertTrue(e.getMessage().contains("0 requests left in the \"api\" bucket"), e.getMessage());
        assertEquals(HubFixture.seconds(2, 2, 2, 2, 2), hub.sleeps());
    }

    @Test
    void droppedConnectionOnAReadIsRetried() throws Exception {
        hub.fake.dropResponseNext(Kind.MODEL_INFO);

        client.modelInfo(REPO, "main");

        assertEquals(HubFixture.seconds(1), hub.sleeps());
        assertEquals(2, hub.fake.count(Kind.MODEL_INFO));
    }

    @Test
    void notFoundIsNotRetried() {
        assertThrows(RepoNotFoundException.class, () -> client.modelInfo(RepoId.parse("miner/missing"), "main"));

        assertEquals(HubFixture.seconds(), hub.sleeps());
    }

    @Test
    void unreachableHubGivesUpWithoutAStatus() throws Exception {
        String endpoint = hub.fake.endpoint();
        hub.close();
        HubClient offline = HubClient.builder(endpoint, HubToken.of(HubFixture.WRITE_TOKEN))
                .sleeper(d -> { }).build();

        HubException e = assertThrows(HubException.class, () -> offline.modelInfo(REPO, "main"));

        assertEquals(0, e.status());
        assertTrue(e.getMessage().contains("failed after 6 attempts without an answer"), e.getMessage());
        assertTrue(e.getMessage().contains("check connectivity"), e.getMessage());
    }
}
