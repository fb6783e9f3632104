package sn37.miner.pipeline;

import static org.junit.jupiter.api.Assertions.*;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.chain.ChainException;
import sn37.miner.util.Json;
import sn37.miner.fake.FakeSubtensor;
import sn37.miner.run.Run;
import sn37.miner.run.RunStore;
import sn37.miner.stage.RunParams;

/**
 * Runs made by the API or the schedule without a competition_id take the competition live at the chain's current
 * block ({@code miner.competition.default=chain}), as the CLI's do.
 */
class ApiDefaultCompetitionTest {
    private static final String LOCAL = "{\"subtensor_network\": \"local\"}";

    @TempDir Path dir;
    private FakeSubtensor node;
    private TestServer t;

    @BeforeEach
    void start() throws Exception {
        node = FakeSubtensor.start(FakeSubtensor.Runtime.FINNEY_343, 5_200_000);
        // no fetch-data stage: a queued run fails at once, and what it was made with stays in the store
        t = TestServer.start(TestServer.settings(dir, Map.of("miner.competition.default", "chain",
                "miner.subtensor.local", node.endpoint(), "pipeline.schedule.params", LOCAL)), List.of());
    }

    @AfterEach
    void stop() {
        t.close();
        node.close();
    }

    @Test
    void aRunWithoutCompetitionIdGetsTheOneLiveAtTheCurrentBlock() throws Exception {
        HttpResponse<String> r = t.post("/api/runs", LOCAL);
        assertEquals(202, r.statusCode(), r.body());
        RunParams stored = stored(runId(r));
        assertEquals(4, stored.competitionId());
        assertEquals(5_200_000L, stored.competitionBlock());
        assertEquals(RunParams.REASONING, stored.dataSource(), "the live competition picks its data source");
        assertTrue(node.violations().isEmpty(), node.violations().toString());
    }

    @Test
    void aNamedCompetitionIsKeptAndTheChainIsNotAsked() throws Exception {
        node.online(false);
        HttpResponse<String> r = t.post("/api/runs", "{\"subtensor_network\": \"local\", \"competition_id\": 2}");
        assertEquals(202, r.statusCode(), r.body());
        RunParams stored = stored(runId(r));
        assertEquals(2, stored.competitionId());
        assertNull(stored.competitionBlock());
    }

    @Test
    void anOfflineRunKeepsTheOldDefaultWithoutAChain() throws Exception {
        node.online(false);
        HttpResponse<String> r = t.post("/api/runs", "{\"offline\": true}");
        assertEquals(202, r.statusCode(), r.body());
        assertEquals(RunParams.DEFAULT_COMPETITION, stored(runId(r)).competitionId());
        assertNull(stored(runId(r)).competitionBlock());
    }

    @Test
    void aNodeThatDoesNotAnswerIs503AndCreatesNoRun() throws Exception {
        node.online(false);
        HttpResponse<String> r = t.post("/api/runs", LOCAL, "Idempotency-Key", "down-1");
        HttpResponseAssert.status(503, "pass competition_id", r);
        assertEquals("unavailable", Json.mapper().readTree(r.body()).get("error").asText());
        assertFalse(r.body().contains(node.endpoint()), "the node's address is not echoed: " + r.body());
        HttpResponseAssert.status(503, "competition_id", t.post("/api/stages/train", LOCAL));
        assertTrue(t.server.store().list(null, 10).isEmpty(), "no run was created");
        // once the node answers, the same key makes the run
        node.online(true);
        assertEquals(202, t.post("/api/runs", LOCAL, "Idempotency-Key", "down-1").statusCode());
    }

    @Test
    void theSameKeyAndBodyAnswerWithTheFirstRunWithoutAskingTheChainAgain() throws Exception {
        HttpResponse<String> first = t.post("/api/runs", LOCAL, "Idempotency-Key", "k-1");
        assertEquals(202, first.statusCode(), first.body());
        node.online(false); // a repeat is matched against the body as sent, not resolved again
        HttpResponse<String> again = t.post("/api/runs", "{ \"subtensor_network\" : \"local\" }",
                "Idempotency-Key", "k-1");
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(runId(first), runId(again));
        assertEquals(1, t.server.store().list(null, 10).size());
        HttpResponseAssert.status(422, "Idempotency-Key", t.post("/api/runs",
                "{\"subtensor_network\": \"local\", \"competition_id\": 2}", "Idempotency-Key", "k-1"));
    }

    @Test
    void aScheduledRunGetsTheCompetitionLiveAtItsFire() throws Exception {
        ScheduledTrigger trigger = t.server.context().getRegistry().lookupByNameAndType("scheduledTrigger",
                ScheduledTrigger.class);
        RunStore.Created c = trigger.fire(Instant.parse("2026-12-07T06:00:00Z"));
        RunParams stored = stored(c.run().id());
        assertEquals(4, stored.competitionId());
        assertEquals(5_200_000L, stored.competitionBlock());

        node.online(false);
        assertThrows(ChainException.class, () -> trigger.fire(Instant.parse("2026-12-07T12:00:00Z")));
        assertEquals(1, t.server.store().list(null, 10).size(), "a fire that cannot find its competition queues nothing");
    }

    private RunParams stored(String runId) throws Exception {
        Run run = t.server.store().get(runId);
        return Json.mapper().readValue(run.paramsJson(), RunParams.class);
    }

    private static String runId(HttpResponse<String> r) throws Exception {
        return Json.mapper().readTree(r.body()).get("runId").asText();
    }
}
