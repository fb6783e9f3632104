package sn37.miner.stage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
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
import sn37.miner.util.Secret;
import sn37.miner.config.Secrets;
import sn37.miner.data.DataSourceException;
import sn37.miner.data.HfSourceSettings;
import sn37.miner.data.JsonlSampleSource;
import sn37.miner.data.McSample;
import sn37.miner.data.McSplit;
import sn37.miner.data.Sn1DataSettings;
import sn37.miner.data.SnapshotWriter;
import sn37.miner.data.WandbSourceSettings;
import sn37.miner.fake.FakeDatasetViewer;
import sn37.miner.fake.FakeWandb;
import sn37.miner.fake.FakeWandbKeys;
import sn37.miner.fake.FakeWandbRun;

/** fetch-data's source choice: offline stays local, remote sources snapshot with provenance, seeds reproduce. */
class FetchDataTest {
    private static final String WANDB_KEY = "wandb-fetch-key-0123456789";
    private static final Instant NOW = Instant.parse("2024-10-10T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    private FakeWandb wandb;
    private FakeDatasetViewer viewer;
    private final List<Duration> sleeps = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        wandb = FakeWandb.start(WANDB_KEY);
        viewer = FakeDatasetViewer.start(HfSourceSettings.DATASET, "hf_token");
        for (int day = 0; day < 40; day++) {
            FakeWandbRun run = FakeWandbRun.signedBy(FakeWandbKeys.key(1), "d" + day)
                    .createdAt(Instant.parse("2024-08-30T00:00:00Z").plus(Duration.ofDays(day)));
            for (int s = 0; s < 30; s++) {
                run.mcRow(s, NOW.getEpochSecond(), FakeWandbKeys.challenge("day " + day + " step " + s + "?"),
                        "ABCD".substring(s % 4, s % 4 + 1));
            }
            wandb.add(run);
        }
        List<ObjectNode> rows = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            rows.add(JSON.createObjectNode().put("id", "hf-" + i)
                    .put("challenge", FakeWandbKeys.challenge("hf question " + i + "?")).put("reference", "A")
                    .put("hotkey", FakeWandbKeys.hotkey(1)).put("timestamp", "2025-02-15T10:00:00"));
        }
        viewer.config("20250215", rows);
    }

    @AfterEach
    void stop() {
        wandb.close();
        viewer.close();
    }

    private FetchData stage(Optional<Secret> wandbKey) {
        StageServices services = new StageServices(new Secrets(Optional.empty(), wandbKey, Optional.empty()),
                new Endpoints("http://127.0.0.1:1", wandb.baseUrl(), Map.of()), tmp, Clock.fixed(NOW, ZoneOffset.UTC));
        Sn1DataSettings settings = Sn1DataSettings.defaults().withValidators(List.of(FakeWandbKeys.hotkey(1)))
                .withWandb(WandbSourceSettings.defaults().withSteps(10, 10).withTarget(15))
                .withDatasetViewerUrl(viewer.baseUrl()).withSleeper(sleeps::add);
        return new FetchData(services, settings);
    }

    private FetchData stage() {
        return stage(Optional.of(Secret.of(WANDB_KEY)));
    }

    private static RunParams params(String json) throws IOException {
        return Json.mapper().readValue(json, RunParams.class);
    }

    private StageContext ctx(RunParams params, String dir) {
        StageContext.Outputs none = new StageContext.Outputs() {
            @Override
            public <T> Optional<T> of(String stage, Class<T> type) {
                return Optional.empty();
            }
        };
        return StageContexts.of(params, tmp.resolve(dir)).run("run-" + dir, 1).outputs(none).build();
    }

    @Test
    void offlineWithTheWandbSourceFailsBeforeAnyConnection() throws IOException {
        RunParams p = params("{\"offline\": true, \"data_source\": \"wandb\"}");
        StageException e = assertThrows(StageException.class, () -> stage().run(ctx(p, "a")));
        assertTrue(e.getMessage().contains("--offline"), e.getMessage());
        assertTrue(e.getMessage().contains("--data_source jsonl"), e.getMessage());
        assertEquals(0, wandb.requests());
    }

    @Test
    void offlineWithTheHfSourceFailsBeforeAnyConnection() throws IOException {
        RunParams p = params("{\"offline\": true, \"data_source\": \"hf\"}");
        assertThrows(StageException.class, () -> stage().run(ctx(p, "a")));
        assertEquals(0, viewer.requests());
    }

    @Test
    void offlineWithTheBundledJsonlSampleWorks() throws Exception {
        FetchData.Output out = stage().run(ctx(params("{\"offline\": true}"), "a"));
        assertEquals(40, out.rowsRead());
        assertEquals(20, out.kept(), "half of the 40 bundled questions train, the other half are held out");
        assertEquals(0, wandb.requests() + viewer.requests());
    }

    @Test
    void theBundledSampleIsSplitIntoDisjointTrainingAndEvaluationSnapshots() throws Exception {
        FetchData.Output out = stage().run(ctx(params("{\"offline\": true, \"seed\": 5}"), "a"));
        List<McSample> train = SnapshotWriter.read(Path.of(out.snapshotPath()));
        List<McSample> eval = SnapshotWriter.read(Path.of(out.evalSnapshotPath()));
        assertEquals(20, eval.size());
        assertEquals(20, train.size());
        assertEquals(Map.of("SYNTHETIC_MMLU", 20), out.evalByTask());
        assertEquals(Map.of("SYNTHETIC_MMLU", 20), out.trainByTask());
        Set<String> held = hashes(eval);
        assertTrue(hashes(train).stream().noneMatch(held::contains), "a held-out question is in the training snapshot");
        Set<String> union = new HashSet<>(held);
        union.addAll(hashes(train));
        assertEquals(hashes(JsonlSampleSource.bundled().load().samples()), union);
        assertEquals(sha256(Path.of(out.snapshotPath())), out.snapshotSha256());
        assertEquals(sha256(Path.of(out.evalSnapshotPath())), out.evalSnapshotSha256());
        assertTrue(out.heldOut());
        assertEquals(out.evalSnapshotPath(), out.scoredSnapshotPath());
    }

    @Test
    void aSmallSourceStillLeavesRowsToTrainOn() throws Exception {
        FetchData.Output out = stage().run(ctx(params("{\"offline\": true, \"data_limit\": 3}"), "a"));
        assertEquals(2, out.kept());
        assertEquals(2, SnapshotWriter.read(Path.of(out.snapshotPath())).size());
        assertEquals(1, SnapshotWriter.read(Path.of(out.evalSnapshotPath())).size());
    }

    private static Set<String> hashes(List<McSample> samples) {
        Set<String> out = new HashSet<>();
        samples.forEach(s -> out.add(McSplit.contentHash(s)));
        return out;
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void aDataPathWithARemoteSourceIsRejected() throws IOException {
        RunParams p = params("{\"data_source\": \"wandb\", \"data_path\": \"x.jsonl\"}");
        StageException e = assertThrows(StageException.class, () -> stage().run(ctx(p, "a")));
        assertTrue(e.getMessage().contains("--data_path"), e.getMessage());
        assertEquals(0, wandb.requests());
    }

    @Test
    void aMissingWandbKeyIsAClearErrorBeforeAnyConnection() throws IOException {
        RunParams p = params("{\"data_source\": \"wandb\"}");
        DataSourceException e = assertThrows(DataSourceException.class,
                () -> stage(Optional.empty()).run(ctx(p, "a")));
        assertTrue(e.getMessage().contains("WANDB_ACCESS_TOKEN"), e.getMessage());
        assertEquals(0, wandb.requests());
    }

    @Test
    void wandbSnapshotCarriesProvenanceAndItsSha256() throws Exception {
        FetchData.Output out = stage().run(ctx(params("{\"data_source\": \"wandb\", \"seed\": 4}"), "a"));
        assertEquals("wandb:macrocosmos/prompting-validators", out.source());
        assertEquals(8, out.kept(), "15 questions: 7 held out, 8 to train on");
        assertEquals(4L, out.provenance().get("seed"));
        assertFalse(((List<?>) out.provenance().get("runs")).isEmpty());
        assertEquals(sha256(Path.of(out.snapshotPath())), out.snapshotSha256());
        assertEquals(sha256(Path.of(out.evalSnapshotPath())), out.evalSnapshotSha256());
        assertEquals(8, Files.readAllLines(Path.of(out.snapshotPath())).size());
        assertEquals(7, Files.readAllLines(Path.of(out.evalSnapshotPath())).size());
    }

    @Test
    void sameSeedWritesTheSameSnapshotBytesAndAnotherSeedAnotherSample() throws Exception {
        FetchData.Output a = stage().run(ctx(params("{\"data_source\": \"wandb\", \"seed\": 9}"), "a"));
        FetchData.Output b = stage().run(ctx(params("{\"data_source\": \"wandb\", \"seed\": 9}"), "b"));
        FetchData.Output c = stage().run(ctx(params("{\"data_source\": \"wandb\", \"seed\": 10}"), "c"));
        assertArrayEquals(Files.readAllBytes(Path.of(a.snapshotPath())), Files.readAllBytes(Path.of(b.snapshotPath())));
        assertArrayEquals(Files.readAllBytes(Path.of(a.evalSnapshotPath())),
                Files.readAllBytes(Path.of(b.evalSnapshotPath())));
        assertEquals(a.snapshotSha256(), b.snapshotSha256());
        assertFalse(a.snapshotSha256().equals(c.snapshotSha256()));
        assertFalse(a.evalSnapshotSha256().equals(c.evalSnapshotSha256()));
    }

    @Test
    void hfSourceHonoursTheDataLimit() throws Exception {
        FetchData.Output out = stage().run(ctx(params("{\"data_source\": \"hf\", \"data_limit\": 60}"), "a"));
        assertEquals("hf:" + HfSourceSettings.DATASET, out.source());
        assertEquals(30, out.kept());
        assertEquals(Map.of("SYNTHETIC_MMLU", 30), out.evalByTask(), "700 is a validator's sample; half of 60 cap it");
        assertEquals(100, out.provenance().get("available"));
    }
}
