package sn37.miner.wandb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sn37.miner.util.Secret;
import sn37.miner.fake.FakeWandb;
import sn37.miner.fake.FakeWandbKeys;
import sn37.miner.fake.FakeWandbRun;

/** The W&B read API against the strict fake: auth, pagination, history windows, errors and retries. */
class WandbPublicApiTest {
    private static final String KEY = "wandb-test-key-0123456789";
    private static final String ENTITY = "macrocosmos";
    private static final String PROJECT = "prompting-validators";
    private static final String ALL = "{\"$and\":[{\"createdAt\":{\"$gte\":\"2024-01-01 00:00:00\"}}]}";

    private FakeWandb fake;
    private final List<Duration> sleeps = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        fake = FakeWandb.start(KEY);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private WandbPublicApi api(String key) {
        WandbHttp http = new WandbHttp(new OkHttpClient(), fake.baseUrl(), Secret.of(key), "WANDB_ACCESS_TOKEN",
                WandbRetry.PER_PAGE, sleeps::add);
        return new WandbPublicApi(new WandbGraphql(http));
    }

    private void addRuns(int n) {
        for (int i = 0; i < n; i++) {
            fake.add(FakeWandbRun.signedBy(FakeWandbKeys.key(1), String.format("run%05d", i))
                    .createdAt(Instant.parse("2024-10-01T00:00:00Z").plusSeconds(i)));
        }
    }

    @Test
    void pagesThroughRunsWithTheCursorOfThePreviousPage() throws IOException {
        addRuns(5);
        WandbPublicApi api = api(KEY);
        List<String> ids = new ArrayList<>();
        List<String> endCursors = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        boolean more = true;
        while (more) {
            WandbPublicApi.RunsPage page = api.runs(ENTITY, PROJECT, ALL, "+created_at", cursor, 2);
            page.runs().forEach(r -> ids.add(r.id()));
            more = page.hasNextPage();
            cursor = page.endCursor();
            endCursors.add(cursor);
            pages++;
        }
        assertEquals(3, pages);
        assertEquals(List.of("run00000", "run00001", "run00002", "run00003", "run00004"), ids);
        List<ObjectNode> vars = fake.runsVariables();
        assertTrue(vars.get(0).get("cursor").isNull());
        assertEquals(endCursors.get(0), vars.get(1).get("cursor").asText());
        assertEquals(endCursors.get(1), vars.get(2).get("cursor").asText());
        assertEquals(ALL, vars.get(0).get("filters").asText());
        assertTrue(fake.violations().isEmpty(), fake.violations().toString());
    }

    @Test
    void unwrapsTheRunConfigJsonString() throws IOException {
        addRuns(1);
        WandbRun run = api(KEY).runs(ENTITY, PROJECT, ALL, "+created_at", null, 50).runs().get(0);
        assertEquals(FakeWandbKeys.hotkey(1), run.config().get("HOTKEY_SS58").asText());
        assertEquals(1, run.config().get("NETUID").asInt());
        assertFalse(run.config().containsKey("_wandb"));
    }

    @Test
    void wrongKeyIsRefusedWithoutRetryingAndNamesTheVariable() {
        addRuns(1);
        WandbUnauthorizedException e = assertThrows(WandbUnauthorizedException.class,
                () -> api("wrong-key").runs(ENTITY, PROJECT, ALL, "+created_at", null, 50));
        assertEquals(401, e.status());
        assertTrue(e.getMessage().contains("WANDB_ACCESS_TOKEN"), e.getMessage());
        assertFalse(e.getMessage().contains("wrong-key"), "the key must never appear in a message");
        assertEquals(1, fake.requests());
        assertTrue(sleeps.isEmpty());
    }

    @Test
    void graphqlErrorsWithHttp200AreErrors() {
        addRuns(1);
        fake.graphqlError("Runs", "context deadline exceeded", 1);
        WandbGraphqlException e = assertThrows(WandbGraphqlException.class,
                () -> api(KEY).runs(ENTITY, PROJECT, ALL, "+created_at", null, 50));
        assertEquals(List.of("context deadline exceeded"), e.errors());
        assertEquals(1, fake.count("Runs"), "a GraphQL error is not retried per request");
    }

    @Test
    void retriesServerErrorsAndHonoursRetryAfter() throws IOException {
        addRuns(1);
        fake.failWithRetryAfter("Runs", 429, "7", 1).fail("Runs", 503, 1);
        WandbPublicApi.RunsPage page = api(KEY).runs(ENTITY, PROJECT, ALL, "+created_at", null, 50);
        assertEquals(1, page.runs().size());
        assertEquals(3, fake.count("Runs"));
        assertEquals(List.of(Duration.ofSeconds(7), Duration.ofSeconds(2)), sleeps);
    }

    @Test
    void givesUpAfterThreeAttemptsPerRequest() {
        addRuns(1);
        fake.fail("Runs", 500, 3);
        WandbException e = assertThrows(WandbException.class,
                () -> api(KEY).runs(ENTITY, PROJECT, ALL, "+created_at", null, 50));
        assertEquals(500, e.status());
        assertEquals(3, fake.count("Runs"));
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), sleeps);
    }

    @Test
    void badRequestIsNotRetried() {
        addRuns(1);
        fake.fail("Runs", 400, 1);
        assertThrows(WandbException.class, () -> api(KEY).runs(ENTITY, PROJECT, ALL, "+created_at", null, 50));
        assertEquals(1, fake.count("Runs"));
    }

    @Test
    void unknownProjectIsAClearError() {
        WandbException e = assertThrows(WandbException.class,
                () -> api(KEY).runs("someone", "else", ALL, "+created_at", null, 50));
        assertTrue(e.getMessage().contains("someone/else"), e.getMessage());
    }

    @Test
    void lastHistoryStepIsMinusOneForUnknownRunsAndRunsWithoutHistory() throws IOException {
        fake.add(new FakeWandbRun("empty"));
        fake.add(new FakeWandbRun("full").mcRow(41, 1.0, "q", "A"));
        WandbPublicApi api = api(KEY);
        assertEquals(-1, api.lastHistoryStep(ENTITY, PROJECT, "nope"));
        assertEquals(-1, api.lastHistoryStep(ENTITY, PROJECT, "empty"));
        assertEquals(41, api.lastHistoryStep(ENTITY, PROJECT, "full"));
    }

    @Test
    void sampledHistorySendsTheLastStepOfTheWindowAsTheInclusiveMaxStep() throws IOException {
        FakeWandbRun run = new FakeWandbRun("r");
        for (int step = 0; step < 10; step++) {
            run.mcRow(step, 1.0, "q" + step, "A");
        }
        fake.add(run);
        List<JsonNode> rows = api(KEY).sampledHistory(ENTITY, PROJECT, "r", List.of("_step", "challenge"), 3, 7, 100);
        assertEquals(List.of(3L, 4L, 5L, 6L), rows.stream().map(r -> r.get("_step").asLong()).toList());
        FakeWandb.HistoryRequest req = fake.historyRequests().get(0);
        assertEquals(3, req.minStep());
        assertEquals(6, req.maxStep());
        assertNull(rows.get(0).get("task"), "the server projects rows to the requested keys");
    }

    @Test
    void refusesToSendTheKeyOutsideTheBaseUrl() {
        WandbHttp http = new WandbHttp(new OkHttpClient(), fake.baseUrl(), Secret.of(KEY), "WANDB_ACCESS_TOKEN",
                WandbRetry.PER_PAGE, sleeps::add);
        okhttp3.HttpUrl elsewhere = okhttp3.HttpUrl.get("http://localhost:" + okhttp3.HttpUrl.get(fake.baseUrl())
                .port() + "/graphql");
        assertThrows(IllegalArgumentException.class,
                () -> http.post(elsewhere, WandbHttp.JSON.createObjectNode(), "test"));
        assertEquals(0, fake.requests());
    }
}
