package sn37.miner.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.fake.FakeDatasetViewer;

/** FINEWEB's texts through the strict dataset viewer fake: validators' page draw, faults, drop reasons, resuming. */
class FinewebSampleSourceTest {
    private static final String DATASET = FinewebSampleSource.DATASET;

    private FakeDatasetViewer viewer;
    private final List<Duration> sleeps = new ArrayList<>();

    @TempDir
    Path tmp;

    @BeforeEach
    void start() throws IOException {
        viewer = FakeDatasetViewer.start(DATASET, "hf_token");
    }

    @AfterEach
    void stop() {
        viewer.close();
    }

    static List<ObjectNode> rows(String dump, int n) {
        List<ObjectNode> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(FakeDatasetViewer.finewebRow(dump, i, dump + " text " + i + " about how tides follow the moon."));
        }
        return rows;
    }

    /** Two dumps of 450 rows, and {@code default} holding both, as the real dataset lists it. */
    private void twoDumps() {
        List<ObjectNode> a = rows("CC-MAIN-2013-20", 450);
        List<ObjectNode> b = rows("CC-MAIN-2024-10", 450);
        List<ObjectNode> all = new ArrayList<>(a);
        all.addAll(b);
        viewer.split(DATASET, "default", "train", all);
        viewer.split(DATASET, "CC-MAIN-2013-20", "train", a);
        viewer.split(DATASET, "CC-MAIN-2024-10", "train", b);
    }

    private FinewebSampleSource source(long seed, Path cache) {
        return FinewebSampleSource.viewer(new OkHttpClient(), viewer.baseUrl(), Optional.empty(), 5, sleeps::add,
                cache, seed);
    }

    private static List<String> texts(FinewebLoad load) {
        return load.texts().stream().map(FinewebText::text).toList();
    }

    @Test
    void fourPagesOfAHundredRowsAreDrawnFromTheDumpsNeverFromDefault() throws IOException {
        twoDumps();
        FinewebLoad load = source(7, null).load(() -> false);

        assertEquals(400, load.texts().size());
        assertEquals(400, load.rowsRead());
        List<FakeDatasetViewer.RowsRequest> requests = viewer.rowsRequests(DATASET);
        assertEquals(4, requests.size());
        long remainder = requests.get(0).offset() % 100;
        for (FakeDatasetViewer.RowsRequest r : requests) {
            assertTrue(r.config().startsWith("CC-MAIN-"), r.config());
            assertEquals(100, r.length());
            assertEquals(remainder, r.offset() % 100, "one initial offset for every page");
        }
        assertEquals(remainder, ((Number) load.provenance().get("initialOffset")).longValue());
        assertEquals(4, ((List<?>) load.provenance().get("pages")).size());
        assertEquals(texts(load), texts(source(7, null).load(() -> false)), "same seed, same texts");
    }

    @Test
    void rateLimitsAndServerErrorsAreRetried() throws IOException {
        twoDumps();
        viewer.failNext(1, 429).failNext(1, 503);
        FinewebLoad load = source(3, null).load(() -> false);

        assertEquals(400, load.texts().size());
        assertEquals(2, sleeps.size(), "one wait per failed answer");
        assertEquals(Duration.ofSeconds(1), sleeps.get(0), "the 429's Retry-After");
    }

    @Test
    void aRowWithoutUsableTextIsDroppedAndCounted() throws IOException {
        List<ObjectNode> rows = rows("CC-MAIN-2024-10", 100);
        rows.set(5, FakeDatasetViewer.finewebRow("CC-MAIN-2024-10", 5, null));
        rows.set(6, FakeDatasetViewer.finewebRow("CC-MAIN-2024-10", 6, "  \n"));
        rows.set(7, FakeDatasetViewer.finewebRow("CC-MAIN-2024-10", 7, null).put("text", 42));
        viewer.split(DATASET, "CC-MAIN-2024-10", "train", rows);

        FinewebLoad load = source(1, null).load(() -> false);

        assertEquals(100, load.rowsRead(), "a config of one page is read once");
        assertEquals(97, load.texts().size());
        assertEquals(Map.of(FinewebSampleSource.NO_TEXT, 1, FinewebSampleSource.BLANK_TEXT, 1,
                FinewebSampleSource.TEXT_NOT_STRING, 1), load.droppedByReason());
        assertTrue(load.examples().get(0).contains("row 5"), load.examples().get(0));
    }

    @Test
    void aRerunWithTheSameSeedReadsItsPagesFromTheCache() throws IOException {
        twoDumps();
        Path cache = tmp.resolve("pages");
        FinewebLoad first = source(11, cache).load(() -> false);
        int requests = viewer.requests();

        FinewebLoad again = source(11, cache).load(() -> false);

        assertEquals(requests, viewer.requests(), "nothing was asked of the viewer again");
        assertEquals(texts(first), texts(again));
    }

    @Test
    void theBundledSampleHasSixTextsAndOneBlankRowDropped() throws IOException {
        FinewebLoad load = FinewebSampleSource.bundled(5).load(() -> false);

        assertEquals(6, load.texts().size());
        assertEquals(Map.of(FinewebSampleSource.BLANK_TEXT, 1), load.droppedByReason());
        assertEquals("bundled:fineweb", load.provenance().get("rows"));
        assertEquals(List.of("CC-MAIN-2024-10/train@0+7"), load.provenance().get("pages"));
    }
}
