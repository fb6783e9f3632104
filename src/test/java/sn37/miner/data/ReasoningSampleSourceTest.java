package sn37.miner.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.fake.FakeDatasetViewer;

/** Competition-4 rows through the strict dataset viewer fake: pages, splits, faults, drop reasons, resuming. */
class ReasoningSampleSourceTest {
    private static final String SYNTH = ReasoningTask.SYNTHETIC_1_SFT.dataset();
    private static final String CF = ReasoningTask.CODEFORCES_COTS.dataset();

    private FakeDatasetViewer viewer;
    private final List<Duration> sleeps = new ArrayList<>();

    @TempDir
    Path tmp;

    @BeforeEach
    void start() throws IOException {
        viewer = FakeDatasetViewer.start(SYNTH, "hf_token");
    }

    @AfterEach
    void stop() {
        viewer.close();
    }

    /** {@code n} math rows; every {@code otherEvery}-th (when > 0) is a task type validators do not score. */
    static List<ObjectNode> syntheticRows(String tag, int n, int otherEvery) {
        List<ObjectNode> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String type = otherEvery > 0 && i % otherEvery == 0 ? "llm_judgeable_groundtruth_similarity"
                    : i % 2 == 0 ? "verifiable_math" : "code_output_prediction";
            String answer = type.equals("code_output_prediction") ? "<think>run</think> {\"output\": \"" + i + "\"}"
                    : "<think>add</think> so \\boxed{" + i + "}";
            rows.add(ReasoningRowsTest.synthetic(type, tag + " problem " + i, answer));
        }
        return rows;
    }

    static List<ObjectNode> codeforcesRows(String tag, int n) {
        List<ObjectNode> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(ReasoningRowsTest.codeforces(tag + i, tag + " statement " + i, "<think>idea " + i + "</think>"
                    + " code"));
        }
        return rows;
    }

    private RowPages pages(Path cache) {
        return new ViewerPages(new DatasetViewerClient(new OkHttpClient(), viewer.baseUrl(), Optional.empty(), 5,
                sleeps::add), cache);
    }

    private ReasoningSampleSource.TaskLoad load(ReasoningTask task, long seed, int trainTarget) throws IOException {
        return new ReasoningSampleSource(pages(null), task, seed, trainTarget).load(() -> false);
    }

    private static Set<String> hashes(List<ReasoningSample> samples) {
        Set<String> out = new HashSet<>();
        samples.forEach(s -> out.add(s.sha256()));
        return out;
    }

    @Test
    void syntheticEvaluationHoldsTheValidatorsHundredAndTwentyAndTrainingIsDisjoint() throws IOException {
        viewer.split(SYNTH, "default", "train", syntheticRows("s", 3000, 4));
        ReasoningSampleSource.TaskLoad load = load(ReasoningTask.SYNTHETIC_1_SFT, 7, 300);

        assertEquals(120, load.eval().size());
        assertEquals(300, load.train().size());
        Set<String> eval = hashes(load.eval());
        assertEquals(120, eval.size());
        assertTrue(load.train().stream().noneMatch(s -> eval.contains(s.sha256())), "the splits overlap");
        List<FakeDatasetViewer.RowsRequest> requests = viewer.rowsRequests(SYNTH);
        long offset = (int) load.provenance().get("initialOffset");
        for (FakeDatasetViewer.RowsRequest r : requests) {
            assertTrue(r.length() <= 100, r.toString());
            assertEquals(offset, r.offset() % 150, "page starts are initial offset + k x 150: " + r);
            assertEquals("train", r.split());
        }
        int dropped = load.droppedByReason().values().stream().mapToInt(Integer::intValue).sum();
        assertTrue(load.rowsRead() >= 420 + dropped, "rows read count kept and dropped ones: " + load.rowsRead());
        assertTrue(load.droppedByReason().get(ReasoningRows.UNSCORED_TYPE) > 0, load.droppedByReason().toString());
        assertTrue(load.eval().stream().allMatch(s -> s.reference().endsWith("}")), "math and code references");
    }

    @Test
    void theSameSeedGivesTheSameSplitsAndAnotherSeedOthers() throws IOException {
        viewer.split(SYNTH, "default", "train", syntheticRows("s", 3000, 0));
        ReasoningSampleSource.TaskLoad a = load(ReasoningTask.SYNTHETIC_1_SFT, 11, 100);
        ReasoningSampleSource.TaskLoad b = load(ReasoningTask.SYNTHETIC_1_SFT, 11, 100);
        ReasoningSampleSource.TaskLoad c = load(ReasoningTask.SYNTHETIC_1_SFT, 12, 100);
        assertEquals(a.eval(), b.eval());
        assertEquals(a.train(), b.train());
        assertNotEquals(hashes(a.eval()), hashes(c.eval()));
    }

    /** {@code n} Codeforces rows, every 50th with three turns, every 50th (+1) without messages, (+2) too long. */
    private static List<ObjectNode> codeforcesWithBadRows(String tag, int n) {
        List<ObjectNode> rows = codeforcesRows(tag, n);
        for (int i = 0; i + 2 < n; i += 50) {
            ObjectNode three = rows.get(i);
            ((com.fasterxml.jackson.databind.node.ArrayNode) three.get("messages")).addObject().put("content", "x")
                    .put("role", "user");
            rows.get(i + 1).remove("messages");
            rows.set(i + 2, ReasoningRowsTest.codeforces(tag + "long" + i, "q", "t".repeat(70_000)));
        }
        return rows;
    }

    @Test
    void codeforcesScoresOnePageOfAHundredLeavesOutTheDefaultConfigAndCountsDrops() throws IOException {
        viewer.split(CF, "solutions", "train", codeforcesWithBadRows("a", 400))
                .split(CF, "solutions_py", "train", codeforcesWithBadRows("b", 400))
                .split(CF, "default", "train", codeforcesRows("d", 400));
        ReasoningSampleSource.TaskLoad load = load(ReasoningTask.CODEFORCES_COTS, 3, 250);

        List<FakeDatasetViewer.RowsRequest> requests = viewer.rowsRequests(CF);
        assertTrue(requests.stream().noneMatch(r -> r.config().equals("default")), requests.toString());
        assertEquals(1, ((List<?>) load.provenance().get("evalPages")).size());
        assertEquals(100, requests.get(0).length());
        assertTrue(load.eval().size() <= 100 && load.eval().size() >= 94, "one page of 100 less its drops: "
                + load.eval().size());
        assertEquals(250, load.train().size());
        Map<String, Integer> dropped = load.droppedByReason();
        for (String reason : List.of(ReasoningRows.NOT_TWO_MESSAGES, ReasoningRows.TOO_LONG)) {
            assertTrue(dropped.get(reason) >= 2, reason + ": " + dropped);
        }
        int kept = load.eval().size() + load.train().size();
        int drops = dropped.values().stream().mapToInt(Integer::intValue).sum();
        assertTrue(load.rowsRead() >= kept + drops, "read " + load.rowsRead() + ", kept " + kept + ", dropped " + drops);
        assertEquals(List.of(), load.examples().stream().filter(e -> e.contains("ttttt")).toList(),
                "examples describe rows, never quote them");
    }

    @Test
    void rateLimitsServerErrorsAndDroppedConnectionsAreRetried() throws IOException {
        viewer.split(SYNTH, "default", "train", syntheticRows("s", 1000, 0));
        viewer.failNext(2, 429).dropNext(1).failNext(1, 503);
        ReasoningSampleSource.TaskLoad load = load(ReasoningTask.SYNTHETIC_1_SFT, 1, 50);
        assertEquals(120, load.eval().size());
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(4)), sleeps,
                "Retry-After: 1 twice, then the client's own backoff (1, 2, 4 s) for the third and fourth tries");
    }

    @Test
    void aConfigThatFailsIsLeftOutAndNamedAndTheOthersServe() throws IOException {
        viewer.split(CF, "solutions", "train", codeforcesRows("a", 1000))
                .split(CF, "broken", "train", codeforcesRows("b", 1000)).failConfig("broken", 500);
        ReasoningSampleSource.TaskLoad load = load(ReasoningTask.CODEFORCES_COTS, 5, 300);
        assertEquals(300, load.train().size());
        assertTrue(load.eval().size() > 0);
        assertTrue(load.eval().stream().allMatch(s -> s.question().startsWith("a ")));
        @SuppressWarnings("unchecked")
        Map<String, String> failed = (Map<String, String>) load.provenance().get("configsFailed");
        assertTrue(failed.get("broken").contains("HTTP 500"), failed.toString());
        assertEquals(5, viewer.rowsRequests(CF).stream().filter(r -> r.config().equals("broken")).count(),
                "the broken page was tried five times, and the config never again");
    }

    @Test
    void whenEveryConfigFailsTheLoadSaysSo() {
        viewer.split(CF, "solutions", "train", codeforcesRows("a", 500)).failConfig("solutions", 404);
        DataSourceException e = assertThrows(DataSourceException.class,
                () -> load(ReasoningTask.CODEFORCES_COTS, 5, 10));
        assertTrue(e.getMessage().contains("every config") && e.getMessage().contains("solutions"), e.getMessage());
    }

    @Test
    void aFailedSizeListingFailsTheLoadNamingTheDataset() {
        viewer.failNext(5, 500);
        DataSourceException e = assertThrows(DataSourceException.class,
                () -> load(ReasoningTask.SYNTHETIC_1_SFT, 5, 10));
        assertTrue(e.getMessage().contains(SYNTH) && e.getMessage().contains("HTTP 500"), e.getMessage());
    }

    @Test
    void aRerunReadsTheCachedPagesInsteadOfTheViewer() throws IOException {
        viewer.split(SYNTH, "default", "train", syntheticRows("s", 2000, 0));
        Path cache = tmp.resolve("pages");
        ReasoningSampleSource.TaskLoad first = new ReasoningSampleSource(pages(cache), ReasoningTask.SYNTHETIC_1_SFT,
                9, 200).load(() -> false);
        int requests = viewer.requests();
        viewer.failConfig("default", 500);
        ReasoningSampleSource.TaskLoad again = new ReasoningSampleSource(pages(cache), ReasoningTask.SYNTHETIC_1_SFT,
                9, 200).load(() -> false);
        assertEquals(requests, viewer.requests(), "nothing was asked of the viewer again");
        assertEquals(first.eval(), again.eval());
        assertEquals(first.train(), again.train());
    }

    @Test
    void aSmallDatasetKeepsHalfItsRowsForTraining() throws IOException {
        viewer.split(CF, "solutions", "train", codeforcesRows("a", 30));
        ReasoningSampleSource.TaskLoad load = load(ReasoningTask.CODEFORCES_COTS, 2, 1000);
        assertEquals(15, load.eval().size());
        assertEquals(15, load.train().size());
        assertEquals(List.of(new FakeDatasetViewer.RowsRequest("solutions", "train", 0, 30)), viewer.rowsRequests(CF));
    }

    @Test
    void snapshotsRoundTripAndRefuseAnEditedRow() throws IOException {
        viewer.split(CF, "solutions", "train", codeforcesRows("a", 30));
        List<ReasoningSample> eval = load(ReasoningTask.CODEFORCES_COTS, 2, 10).eval();
        Snapshot snap = ReasoningSnapshot.write(eval, tmp.resolve("eval.jsonl"));
        assertEquals(eval, ReasoningSnapshot.read(snap.path()));
        assertEquals(64, snap.sha256().length());
        String text = java.nio.file.Files.readString(snap.path()).replaceFirst("idea 1<", "idea 2<");
        java.nio.file.Files.writeString(snap.path(), text);
        IOException e = assertThrows(IOException.class, () -> ReasoningSnapshot.read(snap.path()));
        assertTrue(e.getMessage().contains("line 1") || e.getMessage().contains("line "), e.getMessage());
        assertTrue(e.getMessage().contains("sha256"), e.getMessage());
        assertFalse(e.getMessage().contains("idea"), "the row's text is not echoed");
    }
}
