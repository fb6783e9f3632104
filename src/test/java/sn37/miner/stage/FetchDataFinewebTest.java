package sn37.miner.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.config.Endpoints;
import sn37.miner.util.Json;
import sn37.miner.config.Secrets;
import sn37.miner.data.FinewebSampleSource;
import sn37.miner.data.FinewebSnapshot;
import sn37.miner.data.Sn1DataSettings;
import sn37.miner.fake.FakeDatasetViewer;

/** fetch-data draws FINEWEB's texts for evaluation when the competition scores FINEWEB, and only then. */
class FetchDataFinewebTest {
    private static final String DATASET = FinewebSampleSource.DATASET;

    @TempDir
    Path tmp;
    private FakeDatasetViewer viewer;
    private final List<Duration> sleeps = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        viewer = FakeDatasetViewer.start(DATASET, "hf_token");
    }

    @AfterEach
    void stop() {
        viewer.close();
    }

    private FetchData stage() {
        StageServices services = new StageServices(new Secrets(Optional.empty(), Optional.empty(), Optional.empty()),
                new Endpoints("http://127.0.0.1:1", "http://127.0.0.1:1", Map.of()), tmp, Clock.systemUTC());
        return new FetchData(services, Sn1DataSettings.defaults().withDatasetViewerUrl(viewer.baseUrl())
                .withSleeper(sleeps::add));
    }

    private StageContext ctx(String paramsJson, String dir) throws IOException {
        return StageContexts.of(Json.mapper().readValue(paramsJson, RunParams.class), tmp.resolve(dir))
                .run("run-" + dir, 1).outputs(new LoadModelTest.Contexts.Recorded()).build();
    }

    @Test
    void onlineTheTextsComeThroughTheViewerIntoAnEvaluationOnlySnapshot() throws Exception {
        List<ObjectNode> rows = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            rows.add(FakeDatasetViewer.finewebRow("CC-MAIN-2024-10", i, "Text " + i + " on how rivers carve valleys."));
        }
        viewer.split(DATASET, "CC-MAIN-2024-10", "train", rows);
        StageContext ctx = ctx("{\"seed\": 4}", "a");

        FetchData.Output out = stage().run(ctx);

        FetchData.Fineweb fineweb = out.fineweb();
        assertNull(fineweb.failure());
        assertEquals(fineweb.texts(), FinewebSnapshot.read(Path.of(fineweb.snapshotPath())).size());
        assertTrue(fineweb.texts() >= 100, "whole pages of a 250-row dump: " + fineweb.texts());
        assertEquals(Artifact.sha256(Path.of(fineweb.snapshotPath())), fineweb.snapshotSha256());
        assertEquals(Files.size(Path.of(fineweb.snapshotPath())), fineweb.snapshotBytes());
        assertEquals(DATASET, fineweb.provenance().get("dataset"));
        assertEquals(4, ((Number) fineweb.provenance().get("seed")).intValue());
        assertEquals("fineweb:viewer:" + DATASET, fineweb.source());
        assertTrue(ctx.artifacts().stream().anyMatch(a -> a.name().equals(FetchData.FINEWEB_EVAL)));
        assertTrue(Files.list(tmp.resolve("a").resolve("data").resolve("pages")).findAny().isPresent(),
                "the pages are cached in the run's data folder");
        assertEquals(20, out.kept(), "training rows are the SN1 ones only");
    }

    @Test
    void whenTheViewerCannotGiveThemTheReasonIsRecordedAndTheRunGoesOn() throws Exception {
        viewer.split(DATASET, "CC-MAIN-2024-10", "train", List.of(FakeDatasetViewer.finewebRow("CC-MAIN-2024-10",
                0, "one row")));
        viewer.failConfig("CC-MAIN-2024-10", 403);

        FetchData.Output out = stage().run(ctx("{\"seed\": 4}", "b"));

        assertNull(out.fineweb().snapshotPath());
        assertTrue(out.fineweb().failure().contains("HTTP 403"), out.fineweb().failure());
        assertEquals(20, out.kept());
    }

    @Test
    void offlineTheBundledSampleIsUsedAndACompetitionWithoutFinewebFetchesNone() throws Exception {
        FetchData.Output out = stage().run(ctx("{\"offline\": true}", "c"));
        assertEquals(6, out.fineweb().texts());
        assertEquals(Map.of("blank text", 1), out.fineweb().droppedByReason());
        assertEquals(0, viewer.requests());

        FetchData.Output reasoning = stage().run(ctx("{\"offline\": true, \"competition_id\": 4}", "d"));
        assertNull(reasoning.fineweb());
    }
}
