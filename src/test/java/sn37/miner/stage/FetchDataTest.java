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
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.config.Endpoints;
import sn37.miner.config.Json;
import sn37.miner.config.Secret;
import sn37.miner.config.Secrets;
import sn37.miner.data.DataSourceException;
import sn37.miner.data.HfSourceOptions;
import sn37.miner.data.Sn1DataSettings;
import sn37.miner.data.WandbSourceOptions;
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
        viewer = FakeDatasetViewer.start(HfSourceOptions.DATASET, "hf_token");
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
                .withWandb(WandbSourceOptions.defaults().withSteps(10, 10).withTarget(15))
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
        return new StageContext("run-" + dir, 1, params, tmp.resolve(dir), none, () -> false, null);
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
        assertEquals(40, out.kept());
        assertEquals(0, wandb.requests() + viewer.requests());
    }

    @Test
    void aDataPathWithARemoteSourceIsRejected() throws IOException {
        RunParams p = params("{\"data_source\": \"wandb\", \"data_path\": \"x.jsonl\"}");
        StageException e = assertThrows(StageException.class, () -> stage().run(ctx(p, "a")));
        assertTrue(e.getMessage().contains("--data_path"), e.getMessage());
        assertEquals(0, wandb.requests());
    }

    @Test
    void aStageWithoutServicesOffersOnlyLocalSources() throws IOException {
        RunParams p = params("{\"data_source\": \"hf\"}");
        StageException e = assertThrows(StageException.class, () -> new FetchData().run(ctx(p, "a")));
        assertTrue(e.getMessage().contains("FetchData(StageServices)"), e.getMessage());
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
        assertEquals(15, out.kept());
        assertEquals(4L, out.provenance().get("seed"));
        assertFalse(((List<?>) out.provenance().get("runs")).isEmpty());
        byte[] bytes = Files.readAllBytes(Path.of(out.snapshotPath()));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
                out.snapshotSha256());
        assertEquals(15, Files.readAllLines(Path.of(out.snapshotPath())).size());
    }

    @Test
    void sameSeedWritesTheSameSnapshotBytesAndAnotherSeedAnotherSample() throws Exception {
        FetchData.Output a = stage().run(ctx(params("{\"data_source\": \"wandb\", \"seed\": 9}"), "a"));
        FetchData.Output b = stage().run(ctx(params("{\"data_source\": \"wandb\", \"seed\": 9}"), "b"));
        FetchData.Output c = stage().run(ctx(params("{\"data_source\": \"wandb\", \"seed\": 10}"), "c"));
        assertArrayEquals(Files.readAllBytes(Path.of(a.snapshotPath())), Files.readAllBytes(Path.of(b.snapshotPath())));
        assertEquals(a.snapshotSha256(), b.snapshotSha256());
        assertFalse(a.snapshotSha256().equals(c.snapshotSha256()));
    }

    @Test
    void hfSourceHonoursTheDataLimit() throws Exception {
        FetchData.Output out = stage().run(ctx(params("{\"data_source\": \"hf\", \"data_limit\": 60}"), "a"));
        assertEquals("hf:" + HfSourceOptions.DATASET, out.source());
        assertEquals(60, out.kept());
        assertEquals(100, out.provenance().get("available"));
    }
}
