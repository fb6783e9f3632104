package sn37.miner.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.config.Endpoints;
import sn37.miner.util.Json;
import sn37.miner.config.Secrets;
import sn37.miner.data.ReasoningSample;
import sn37.miner.data.ReasoningSnapshot;
import sn37.miner.data.ReasoningTask;
import sn37.miner.data.Sn1DataSettings;
import sn37.miner.fake.FakeDatasetViewer;

/** fetch-data for competition 4: a held-out evaluation snapshot beside a disjoint training one, online and offline. */
class FetchDataReasoningTest {
    private static final String SYNTH = ReasoningTask.SYNTHETIC_1_SFT.dataset();
    private static final String CF = ReasoningTask.CODEFORCES_COTS.dataset();

    @TempDir
    Path tmp;
    private FakeDatasetViewer viewer;
    private final List<Duration> sleeps = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        viewer = FakeDatasetViewer.start(SYNTH, "hf_token");
        viewer.split(SYNTH, "default", "train", sn37.miner.data.ReasoningFixtures.synthetic(2000))
                .split(CF, "solutions", "train", sn37.miner.data.ReasoningFixtures.codeforces("a", 800))
                .split(CF, "solutions_py", "train", sn37.miner.data.ReasoningFixtures.codeforces("b", 800));
    }

    @AfterEach
    void stop() {
        viewer.close();
    }

    private FetchData stage() {
        StageServices services = new StageServices(new Secrets(Optional.empty(), Optional.empty(), Optional.empty()),
                new Endpoints("http://127.0.0.1:1", "http://127.0.0.1:1", Map.of()), tmp, Clock.systemUTC());
        return new FetchData(services, Sn1DataSettings.defaults().withDatasetViewerUrl(viewer.baseUrl())
                .withSleeper(sleeps::add).withReasoningTrainRows(150));
    }

    private StageContext ctx(String paramsJson, String dir) throws IOException {
        StageContext.Outputs none = new StageContext.Outputs() {
            @Override
            public <T> Optional<T> of(String stage, Class<T> type) {
                return Optional.empty();
            }
        };
        return StageContexts.of(Json.mapper().readValue(paramsJson, RunParams.class), tmp.resolve(dir))
                .run("run-" + dir, 1).outputs(none).build();
    }

    private static Set<String> hashes(List<ReasoningSample> rows) {
        Set<String> out = new HashSet<>();
        rows.forEach(r -> out.add(r.sha256()));
        return out;
    }

    @Test
    void writesDisjointTrainingAndEvaluationSnapshotsSizedAsValidatorsSample() throws Exception {
        StageContext ctx = ctx("{\"competition_id\": 4, \"seed\": 3}", "a");
        FetchData.Output out = stage().run(ctx);

        assertEquals(RunParams.REASONING, out.format());
        assertEquals(120, out.evalByTask().get("SYNTHETIC_1_SFT"), "SYNTHETIC_1_SFT's target_size");
        int cf = out.evalByTask().get("CODEFORCES_COTS");
        assertTrue(cf > 90 && cf <= 100, "one viewer page of CODEFORCES_COTS less its drops: " + cf);
        assertEquals(Map.of("SYNTHETIC_1_SFT", 150, "CODEFORCES_COTS", 150), out.trainByTask());
        List<ReasoningSample> eval = ReasoningSnapshot.read(Path.of(out.evalSnapshotPath()));
        List<ReasoningSample> train = ReasoningSnapshot.read(Path.of(out.snapshotPath()));
        assertEquals(120 + cf, eval.size());
        assertEquals(300, train.size());
        Set<String> held = hashes(eval);
        assertTrue(train.stream().noneMatch(r -> held.contains(r.sha256())), "a training row is in the evaluation split");
        assertEquals(List.of(FetchData.REASONING_EVAL, FetchData.REASONING_TRAIN),
                ctx.artifacts().stream().map(Artifact::name).toList());
        assertTrue(out.droppedByReason().containsKey("task_type not scored by validators"), out.droppedByReason()
                .toString());
        assertTrue(out.source().startsWith("reasoning:viewer"), out.source());

        // A rerun in the same run folder reads its cached pages: the viewer may be down by then.
        int requests = viewer.requests();
        viewer.failConfig("default", 500).failConfig("solutions", 500).failConfig("solutions_py", 500);
        FetchData.Output again = stage().run(ctx("{\"competition_id\": 4, \"seed\": 3}", "a"));
        assertEquals(requests, viewer.requests());
        assertEquals(out.evalSnapshotSha256(), again.evalSnapshotSha256());
        assertEquals(out.snapshotSha256(), again.snapshotSha256());
    }

    @Test
    void offlineItSplitsTheBundledSampleWithoutTouchingTheNetwork() throws Exception {
        FetchData.Output out = stage().run(ctx("{\"competition_id\": 4, \"offline\": true}", "b"));
        assertEquals(0, viewer.requests());
        assertEquals("reasoning:bundled:reasoning", out.source());
        assertEquals(8, out.evalByTask().get("SYNTHETIC_1_SFT"));
        assertEquals(6, out.trainByTask().get("SYNTHETIC_1_SFT"));
        int cfEval = out.evalByTask().get("CODEFORCES_COTS");
        int cfTrain = out.trainByTask().get("CODEFORCES_COTS");
        assertTrue(cfEval >= 5 && cfTrain >= 5 && cfEval + cfTrain == 11, out.evalByTask() + " " + out.trainByTask());
        assertEquals(2, out.droppedByReason().get("task_type not scored by validators"));
        assertEquals(1, out.droppedByReason().get("not exactly two messages"));
        assertEquals(28, out.rowsRead(), "16 SYNTHETIC-1 rows and 12 Codeforces rows, each read once");
    }
}
