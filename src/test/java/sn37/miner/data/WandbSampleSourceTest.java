package sn37.miner.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sn37.miner.util.Secret;
import sn37.miner.fake.FakeWandb;
import sn37.miner.fake.FakeWandbKeys;
import sn37.miner.fake.FakeWandbRun;
import sn37.miner.wandb.WandbGraphql;
import sn37.miner.wandb.WandbHttp;
import sn37.miner.wandb.WandbPublicApi;
import sn37.miner.wandb.WandbRetry;
import sn37.miner.wandb.WandbUnauthorizedException;

/** The W&B SN1 source against the strict fake: run pages, step windows, filters, authenticity, retries, seeds. */
class WandbSampleSourceTest {
    private static final String KEY = "wandb-data-key-0123456789";
    private static final Instant NOW = Instant.parse("2024-10-10T00:00:00Z");
    private static final double NOW_TS = NOW.getEpochSecond();
    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeWandb fake;
    private final List<Duration> sleeps = new ArrayList<>();
    private final List<String> validators = List.of(FakeWandbKeys.hotkey(1), FakeWandbKeys.hotkey(2));

    @BeforeEach
    void start() throws IOException {
        fake = FakeWandb.start(KEY);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private WandbSampleSource source(WandbSourceSettings options, List<String> allowList, boolean unverified,
            long seed, String key) {
        WandbHttp http = new WandbHttp(new OkHttpClient(), fake.baseUrl(), Secret.of(key), "WANDB_ACCESS_TOKEN",
                WandbRetry.PER_PAGE, sleeps::add);
        return new WandbSampleSource(new WandbPublicApi(new WandbGraphql(http)), options,
                ValidatorCheck.of(allowList, unverified), seed, Clock.fixed(NOW, ZoneOffset.UTC), sleeps::add);
    }

    private WandbSampleSource source(WandbSourceSettings options, long seed) {
        return source(options, validators, false, seed, KEY);
    }

    private static WandbSourceSettings latest() {
        return WandbSourceSettings.defaults().withMode(WandbSourceSettings.Mode.LATEST);
    }

    private static String q(String s) {
        return FakeWandbKeys.challenge(s);
    }

    @Test
    void readsRunsAcrossThreePagesFollowingTheCursors() throws IOException {
        for (int i = 0; i < 120; i++) {
            fake.add(FakeWandbRun.signedBy(FakeWandbKeys.key(1 + i % 2), String.format("r%04d", i))
                    .createdAt(NOW.minus(Duration.ofHours(20)).plusSeconds(i))
                    .mcRow(0, NOW_TS, q("question " + i + "?"), "ABCD".substring(i % 4, i % 4 + 1)));
        }
        SampleLoad load = source(WandbSourceSettings.defaults().withTarget(1000), 7).load();
        assertEquals(120, load.samples().size());
        assertEquals(120, load.provenance().get("runsListed"));
        List<ObjectNode> vars = fake.runsVariables();
        assertEquals(3, vars.size());
        assertTrue(vars.get(0).get("cursor").isNull());
        assertNotEquals(vars.get(1).get("cursor").asText(), vars.get(2).get("cursor").asText());
        assertEquals(50, vars.get(0).get("perPage").asInt());
        assertEquals("r0000_0", load.samples().get(0).id(), "oldest run first (+created_at)");
        assertTrue(fake.violations().isEmpty(), fake.violations().toString());
    }

    @Test
    void historicModeFiltersOnASeededCreationDateAndTheValidatorHotkeys() throws IOException {
        fake.add(FakeWandbRun.signedBy(FakeWandbKeys.key(1), "late").createdAt(NOW.minus(Duration.ofHours(2)))
                .mcRow(0, NOW_TS, q("late?"), "A"));
        SampleLoad load = source(WandbSourceSettings.defaults(), 11).load();
        String filters = fake.runsVariables().get(0).get("filters").asText();
        String after = (String) load.provenance().get("createdAfter");
        assertTrue(after.compareTo("2024-08-29 00:00:00") >= 0 && after.compareTo("2024-10-09 00:00:00") < 0, after);
        assertEquals("{\"$and\":[{\"createdAt\":{\"$gte\":\"" + after + "\"}}],\"$or\":[{\"config.HOTKEY_SS58\":\""
                + validators.stream().sorted().toList().get(0) + "\"},{\"config.HOTKEY_SS58\":\""
                + validators.stream().sorted().toList().get(1) + "\"}]}", filters);
        assertEquals(after, source(WandbSourceSettings.defaults(), 11).load().provenance().get("createdAfter"));
    }

    @Test
    void latestModeScansTheLastStepsOfRunningRunsInPages() throws IOException {
        FakeWandbRun run = FakeWandbRun.signedBy(FakeWandbKeys.key(1), "win");
        for (int step = 60; step <= 119; step++) {
            run.mcRow(step, NOW_TS - 60, q("step " + step + "?"), "B");
        }
        fake.add(run);
        fake.add(FakeWandbRun.signedBy(FakeWandbKeys.key(2), "done").state("finished")
                .mcRow(0, NOW_TS, q("finished run?"), "A"));
        SampleLoad load = source(latest().withSteps(50, 20).withTarget(1000), 3).load();
        List<FakeWandb.HistoryRequest> pages = fake.historyRequests();
        assertEquals(List.of(70L, 90L, 110L), pages.stream().map(FakeWandb.HistoryRequest::minStep).toList());
        assertEquals(List.of(89L, 109L, 119L), pages.stream().map(FakeWandb.HistoryRequest::maxStep).toList());
        List<String> ids = load.samples().stream().map(McSample::id).toList();
        assertEquals(50, ids.size());
        assertTrue(ids.contains("win_70") && ids.contains("win_119"), ids.toString());
        assertFalse(ids.contains("win_69"), "step 69 is outside the 50-step window");
        assertTrue(fake.runsVariables().get(0).get("filters").asText().startsWith("{\"$and\":[{\"state\":\"running\"}]"));
        assertEquals(List.of("_timestamp", "_step", "task", "challenge", "reference"), pages.get(0).keys());
    }

    @Test
    void countsEveryDroppedRowByReasonInTheProvenance() throws IOException {
        ObjectNode otherTask = JSON.createObjectNode().put("_timestamp", NOW_TS).put("task", "qa")
                .put("challenge", q("qa?")).put("reference", "A");
        ObjectNode noTask = JSON.createObjectNode().put("_timestamp", NOW_TS).put("challenge", q("none?"))
                .put("reference", "A");
        fake.add(FakeWandbRun.signedBy(FakeWandbKeys.key(1), "mixed")
                .mcRow(0, NOW_TS - 60, q("kept?"), "A")
                .mcRow(1, NOW_TS - 5 * 3600, q("stale?"), "B")
                .mcRow(2, NOW_TS - 60, q("bad ref?"), "E")
                .mcRow(3, NOW_TS - 60, q("kept?"), "A")
                .row(4, otherTask)
                .mcRow(5, NOW_TS - 60, q("second?"), "C")
                .row(6, noTask));
        SampleLoad load = source(latest(), 5).load();
        assertEquals(List.of("mixed_0", "mixed_5"), load.samples().stream().map(McSample::id).toList());
        Map<String, Integer> dropped = load.droppedByReason();
        assertEquals(1, dropped.get(DropReason.NOT_MULTI_CHOICE.label()), dropped.toString());
        assertEquals(1, dropped.get(DropReason.BAD_REFERENCE.label()));
        assertEquals(1, dropped.get(DropReason.DUPLICATE.label()));
        assertEquals(1, dropped.get(LoadTally.STALE));
        assertEquals(6, load.rowsRead(), "the row without a task lacks a requested key, so the server omits it");
        assertEquals(14400L, load.provenance().get("maxAgeSeconds"));
        assertEquals(FakeWandbKeys.hotkey(1), load.samples().get(0).hotkey());
        assertEquals(Instant.ofEpochSecond((long) NOW_TS - 60).toString(), load.samples().get(0).timestamp());
    }

    @Test
    void skipsRunsWithABadSignatureOrANonValidatorHotkey() throws IOException {
        fake.ignoreConfigFilters();
        FakeWandbRun forged = FakeWandbRun.signedBy(FakeWandbKeys.key(3), "forged")
                .config("HOTKEY_SS58", FakeWandbKeys.hotkey(1)).mcRow(0, NOW_TS, q("forged?"), "A");
        FakeWandbRun outsider = FakeWandbRun.signedBy(FakeWandbKeys.key(4), "outsider")
                .mcRow(0, NOW_TS, q("outsider?"), "A");
        FakeWandbRun unsigned = FakeWandbRun.signedBy(FakeWandbKeys.key(2), "unsigned")
                .config("SIGNATURE", "").mcRow(0, NOW_TS, q("unsigned?"), "A");
        FakeWandbRun good = FakeWandbRun.signedBy(FakeWandbKeys.key(2), "good").mcRow(0, NOW_TS, q("good?"), "A");
        fake.add(forged).add(outsider).add(unsigned).add(good);
        SampleLoad load = source(latest(), 1).load();
        assertEquals(List.of("good_0"), load.samples().stream().map(McSample::id).toList());
        assertEquals(Map.of(ValidatorCheck.BAD_SIGNATURE, 1, ValidatorCheck.NOT_VALIDATOR, 1,
                ValidatorCheck.NO_SIGNATURE, 1), load.provenance().get("runsSkipped"));
        assertEquals(List.of("good"), fake.historyRequests().stream().map(FakeWandb.HistoryRequest::run).toList());
        assertEquals(1, fake.count("RunHistoryKeys"));
    }

    @Test
    void unverifiedDataNeedsNoAllowListAndNoSignature() throws IOException {
        fake.add(new FakeWandbRun("anon").config("HOTKEY_SS58", FakeWandbKeys.hotkey(9))
                .mcRow(0, NOW_TS, q("anon?"), "D"));
        SampleLoad load = source(latest(), List.of(), true, 1, KEY).load();
        assertEquals(1, load.samples().size());
        assertEquals("{\"$and\":[{\"state\":\"running\"}]}", fake.runsVariables().get(0).get("filters").asText());
        assertEquals(false, load.provenance().get("signaturesVerified"));
    }

    @Test
    void anEmptyAllowListIsAnErrorBeforeAnyRequest() {
        DataSourceException e = assertThrows(DataSourceException.class,
                () -> source(latest(), List.of(), false, 1, KEY).load());
        assertTrue(e.getMessage().contains("miner.data.sn1-validators"), e.getMessage());
        assertTrue(e.getMessage().contains("--allow_unverified_data"), e.getMessage());
        assertEquals(0, fake.requests());
    }

    @Test
    void stopsAtTheTargetCount() throws IOException {
        for (int r = 0; r < 3; r++) {
            FakeWandbRun run = FakeWandbRun.signedBy(FakeWandbKeys.key(1), "t" + r)
                    .createdAt(NOW.minus(Duration.ofHours(10 - r)));
            for (int s = 0; s < 10; s++) {
                run.mcRow(s, NOW_TS, q("run " + r + " step " + s + "?"), "A");
            }
            fake.add(run);
        }
        SampleLoad load = source(WandbSourceSettings.defaults().withTarget(4).withSteps(500, 500), 2).load();
        assertEquals(4, load.samples().size());
        assertEquals(1, fake.count("SampledHistoryPage"), "the first run's page already had enough rows");
    }

    @Test
    void sameSeedGivesTheSameSampleAndAnotherSeedAnotherOne() throws IOException {
        for (int day = 0; day < 40; day++) {
            FakeWandbRun run = FakeWandbRun.signedBy(FakeWandbKeys.key(1), "d" + day)
                    .createdAt(Instant.parse("2024-08-30T00:00:00Z").plus(Duration.ofDays(day)));
            for (int s = 0; s < 30; s++) {
                run.mcRow(s, NOW_TS, q("day " + day + " step " + s + "?"), "ABCD".substring(s % 4, s % 4 + 1));
            }
            fake.add(run);
        }
        WandbSourceSettings options = WandbSourceSettings.defaults().withSteps(10, 10).withTarget(15);
        List<McSample> a = source(options, 1).load().samples();
        List<McSample> again = source(options, 1).load().samples();
        List<McSample> b = source(options, 2).load().samples();
        assertEquals(15, a.size());
        assertEquals(a, again);
        assertNotEquals(a, b);
    }

    @Test
    void retriesAPageAfterServerErrorsWithinOneAttempt() throws IOException {
        fake.add(FakeWandbRun.signedBy(FakeWandbKeys.key(1), "flaky").mcRow(0, NOW_TS, q("flaky?"), "A"));
        fake.fail("SampledHistoryPage", 502, 1).failWithRetryAfter("SampledHistoryPage", 429, "3", 1);
        SampleLoad load = source(latest(), 1).load();
        assertEquals(1, load.samples().size());
        assertEquals(1, load.provenance().get("attempt"));
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(3)), sleeps);
    }

    @Test
    void retriesTheWholeLoadAfterAGraphqlError() throws IOException {
        fake.add(FakeWandbRun.signedBy(FakeWandbKeys.key(1), "g").mcRow(0, NOW_TS, q("g?"), "A"));
        fake.graphqlError("SampledHistoryPage", "context deadline exceeded", 1);
        SampleLoad load = source(latest(), 1).load();
        assertEquals(1, load.samples().size());
        assertEquals(2, load.provenance().get("attempt"));
        assertEquals(List.of(Duration.ofSeconds(5)), sleeps);
    }

    @Test
    void givesUpAfterTenAttemptsOfTheWholeLoad() {
        fake.add(FakeWandbRun.signedBy(FakeWandbKeys.key(1), "down").mcRow(0, NOW_TS, q("down?"), "A"));
        fake.graphqlError("Runs", "internal error", 10);
        DataSourceException e = assertThrows(DataSourceException.class, () -> source(latest(), 1).load());
        assertTrue(e.getMessage().contains("failed 10 times"), e.getMessage());
        assertTrue(e.getMessage().contains("internal error"), e.getMessage());
        assertEquals(10, fake.count("Runs"));
        assertEquals(9, sleeps.size());
    }

    @Test
    void aRefusedKeyIsNotRetried() {
        fake.add(FakeWandbRun.signedBy(FakeWandbKeys.key(1), "k").mcRow(0, NOW_TS, q("k?"), "A"));
        assertThrows(WandbUnauthorizedException.class, () -> source(latest(), validators, false, 1, "bad").load());
        assertEquals(1, fake.requests());
    }

    @Test
    void noKeptRowIsAClearError() {
        fake.add(FakeWandbRun.signedBy(FakeWandbKeys.key(1), "old").mcRow(0, NOW_TS - 86400, q("old?"), "A"));
        DataSourceException e = assertThrows(DataSourceException.class, () -> source(latest(), 1).load());
        assertTrue(e.getMessage().contains(LoadTally.STALE), e.getMessage());
        assertEquals(1, fake.count("Runs"), "an empty result is not retried");
    }
}
