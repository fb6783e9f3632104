package sn37.miner.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sn37.miner.util.Secret;
import sn37.miner.fake.FakeDatasetViewer;
import sn37.miner.fake.FakeWandbKeys;

/** The HF dataset source against the strict dataset viewer fake: paging, config sampling, failures, filters. */
class HfDatasetSampleSourceTest {
    private static final String TOKEN = "hf_test_token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VALIDATOR = FakeWandbKeys.hotkey(1);

    private FakeDatasetViewer viewer;
    private final List<Duration> sleeps = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        viewer = FakeDatasetViewer.start(HfSourceSettings.DATASET, TOKEN);
    }

    @AfterEach
    void stop() {
        viewer.close();
    }

    private static List<ObjectNode> rows(String config, int n, String hotkey) {
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(JSON.createObjectNode().put("id", config + "-" + i)
                    .put("challenge", FakeWandbKeys.challenge(config + " question " + i + "?"))
                    .put("reference", "ABCD".substring(i % 4, i % 4 + 1)).put("hotkey", hotkey)
                    .put("timestamp", "2025-02-15T10:00:00"));
        }
        return out;
    }

    private HfDatasetSampleSource source(HfSourceSettings options, long seed, Optional<Secret> token) {
        DatasetViewerClient client = new DatasetViewerClient(new OkHttpClient(), viewer.baseUrl(), token,
                options.attempts(), sleeps::add);
        return new HfDatasetSampleSource(client, options, ValidatorCheck.of(List.of(VALIDATOR), false), seed);
    }

    private HfDatasetSampleSource source(long seed) {
        return source(HfSourceSettings.defaults(), seed, Optional.empty());
    }

    @Test
    void readsEveryRowOfAConfigInPagesOfAHundred() throws IOException {
        viewer.config("20250215", rows("20250215", 250, VALIDATOR));
        SampleLoad load = source(1).load();
        assertEquals(250, load.provenance().get("available"));
        assertEquals(250, load.samples().size());
        assertEquals(List.of(new FakeDatasetViewer.RowsRequest("20250215", "20250215", 0, 100),
                new FakeDatasetViewer.RowsRequest("20250215", "20250215", 100, 100),
                new FakeDatasetViewer.RowsRequest("20250215", "20250215", 200, 50)), viewer.rowsRequests());
    }

    @Test
    void keepsTheTargetAfterASeededShuffle() throws IOException {
        viewer.config("a", rows("a", 300, VALIDATOR)).config("b", rows("b", 300, VALIDATOR))
                .config("c", rows("c", 300, VALIDATOR));
        List<McSample> one = source(5).load().samples();
        assertEquals(700, one.size());
        assertEquals(one, source(5).load().samples());
        assertNotEquals(one, source(6).load().samples());
    }

    @Test
    void samplesTenConfigsWithTheSeed() throws IOException {
        for (int d = 10; d < 22; d++) {
            viewer.config("202502" + d, rows("202502" + d, 10, VALIDATOR));
        }
        List<?> first = (List<?>) source(1).load().provenance().get("configsSampled");
        assertEquals(10, first.size());
        assertEquals(first, source(1).load().provenance().get("configsSampled"));
        boolean differs = false;
        for (long seed = 2; seed < 8 && !differs; seed++) {
            differs = !first.equals(source(seed).load().provenance().get("configsSampled"));
        }
        assertTrue(differs, "some other seed picks other configs");
    }

    @Test
    void skipsAConfigThatFailsToLoadAfterItsRetries() throws IOException {
        viewer.config("good", rows("good", 60, VALIDATOR)).config("broken", rows("broken", 60, VALIDATOR));
        viewer.failConfig("broken", 503);
        SampleLoad load = source(1).load();
        assertEquals(60, load.samples().size());
        Map<?, ?> failed = (Map<?, ?>) load.provenance().get("configsFailed");
        assertTrue(failed.containsKey("broken") && failed.get("broken").toString().contains("HTTP 503"),
                failed.toString());
        assertEquals(Map.of("good", 60), load.provenance().get("configsLoaded"));
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8)), sleeps, "5 tries with backoff 1, 2, 4, 8 s");
    }

    @Test
    void aConfigFailingHalfwayContributesNoRows() throws IOException {
        viewer.config("good", rows("good", 60, VALIDATOR)).config("gone", rows("gone", 150, VALIDATOR));
        viewer.failConfig("gone", 404);
        SampleLoad load = source(1).load();
        assertEquals(60, load.samples().size());
        assertTrue(load.samples().stream().allMatch(s -> s.id().startsWith("good-")));
    }

    @Test
    void failsWithFewerThanFiftyValidRows() {
        viewer.config("small", rows("small", 49, VALIDATOR));
        DataSourceException e = assertThrows(DataSourceException.class, () -> source(1).load());
        assertTrue(e.getMessage().contains("only 49 valid rows"), e.getMessage());
    }

    @Test
    void dropsRowsFromNonValidatorsBadReferencesAndTruncatedCells() throws IOException {
        List<ObjectNode> mixed = rows("mix", 60, VALIDATOR);
        mixed.get(0).put("hotkey", FakeWandbKeys.hotkey(2));
        mixed.get(1).put("reference", "a");
        viewer.config("mix", mixed).truncate("mix", 2);
        SampleLoad load = source(HfSourceSettings.defaults().withTarget(700), 1, Optional.empty()).load();
        assertEquals(57, load.samples().size());
        assertEquals(Map.of(DropReason.BAD_REFERENCE.label(), 1, ValidatorCheck.NOT_VALIDATOR, 1,
                HfDatasetSampleSource.TRUNCATED, 1), load.droppedByReason());
        assertEquals(60, load.rowsRead());
    }

    @Test
    void sendsTheHfTokenAsBearerOnlyWhenThereIsOne() throws IOException {
        viewer.config("x", rows("x", 60, VALIDATOR));
        source(HfSourceSettings.defaults(), 1, Optional.of(Secret.of(TOKEN))).load();
        assertTrue(viewer.authHeaders().stream().allMatch(("Bearer " + TOKEN)::equals), viewer.authHeaders().toString());
        viewer.close();
        viewer = FakeDatasetViewer.start(HfSourceSettings.DATASET, TOKEN);
        viewer.config("x", rows("x", 60, VALIDATOR));
        source(1).load();
        assertTrue(viewer.authHeaders().stream().allMatch("null"::equals), viewer.authHeaders().toString());
    }

    @Test
    void aWrongTokenIsAClearErrorNamingTheVariable() {
        viewer.config("x", rows("x", 60, VALIDATOR));
        DataSourceException e = assertThrows(DataSourceException.class,
                () -> source(HfSourceSettings.defaults(), 1, Optional.of(Secret.of("hf_wrong"))).load());
        assertTrue(e.getMessage().contains("HF_ACCESS_TOKEN"), e.getMessage());
        assertTrue(!e.getMessage().contains("hf_wrong"), "the token must never appear in a message");
    }
}
