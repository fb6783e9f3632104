package sn37.miner.e2e;

import static org.junit.jupiter.api.Assertions.*;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import sn37.miner.chain.ChainTestKit;
import sn37.miner.chain.Ss58;
import sn37.miner.config.Env;
import sn37.miner.util.Json;
import sn37.miner.config.Settings;
import sn37.miner.data.McSample;
import sn37.miner.data.SnapshotWriter;
import sn37.miner.fake.FakeHub;
import sn37.miner.pipeline.PipelineServer;
import sn37.miner.stage.BuiltInStages;
import sn37.miner.testing.Slow;
import sn37.miner.testing.TrainerPython;

/**
 * The whole miner in one JVM, as a miner runs it: POST /api/runs starting from uid 5's model → SN1 data from W&B →
 * the incumbent downloaded and hash-checked → trained → evaluated → gate passed → one Hub commit → one extrinsic →
 * repo public. Every output is checked against a recomputation from the fakes' own records, and the sentinel
 * secrets appear in no log line, no HTTP answer, no stage output and not in the run database file.
 */
@Slow
class EndToEndTest {
    @TempDir Path dir;

    @Test
    void postedRunFromUid5TrainsPassesTheGateUploadsOnceCommitsOnceAndLeaksNoSecret() throws Exception {
        JsonNode train = runMiner(Map.of(), Map.of());
        assertEquals("djl", train.get("trainer").asText());
    }

    /** The same run with the PyTorch trainer on two CPU processes under torchrun: the same records, checks and hashes. */
    @Test
    void thePyTorchTrainerOnTwoProcessesGivesARunThatEvaluatesUploadsAndCommitsTheSame() throws Exception {
        Path python = TrainerPython.get();
        JsonNode train = runMiner(Map.of("trainer", "torch", "nproc_per_node", 2),
                Map.of("train.torch.python", python.toString(), "train.torch.trainer-dir",
                        TrainerPython.trainerDir().toString()));
        assertEquals("torch", train.get("trainer").asText());
        assertEquals("local", train.get("launcher").asText());
        assertEquals(2, train.get("worldSize").asInt());
        assertEquals(0, train.get("gpus").asInt());
        assertEquals("float32", train.get("computeDtype").asText());
    }

    /** Runs the miner against the world's fakes, checks every stage and the secrets; returns train's outputs. */
    private JsonNode runMiner(Map<String, Object> params, Map<String, String> overrides) throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        Env env;
        JsonNode run;
        List<String> answers;
        try (MinerWorld world = MinerWorld.create(dir)) {
            env = Env.of(world.env());
            int port = freePort();
            Map<String, String> o = new HashMap<>(world.settings());
            o.put("pipeline.db.path", dir.resolve("db/pipeline").toString());
            o.put("pipeline.work-dir", dir.resolve("runs").toString());
            o.put("camel.server.port", String.valueOf(port));
            o.put("camel.management.port", String.valueOf(freePort()));
            o.put("pipeline.sweeper.enabled", "false");
            o.putAll(overrides);
            Settings settings = Settings.load(Path.of("").toAbsolutePath(), env, List.of()).with(o);
            try (PipelineServer server = PipelineServer.create(settings, BuiltInStages.all(settings, env)).start()) {
                ServerProcessApi api = new ServerProcessApi(port);
                Map<String, Object> p = new HashMap<>(world.runParams());
                p.putAll(params);
                String id = api.submit(p);
                run = api.awaitFinished(id, Duration.ofMinutes(4));
                assertEquals("SUCCEEDED", run.get("status").asText(), run.toPrettyString());
                api.get("/api/runs");
                api.get("/api/openapi.json");
                answers = api.answers;
            }
            assertEveryStageMatchesTheFakes(world, run);
        } finally {
            root.detachAppender(logs);
        }
        assertNoSecretIn(run, logs, answers);
        for (JsonNode s : run.get("stages")) {
            if (s.get("stage").asText().equals("train")) return s.get("outputs");
        }
        throw new AssertionError("no train stage in " + run);
    }

    private void assertEveryStageMatchesTheFakes(MinerWorld world, JsonNode run) throws Exception {
        Map<String, JsonNode> out = new HashMap<>();
        List<String> order = new ArrayList<>();
        for (JsonNode s : run.get("stages")) {
            assertEquals("SUCCEEDED", s.get("status").asText(), s.toPrettyString());
            assertEquals(1, s.get("attempt").asInt());
            order.add(s.get("stage").asText());
            out.put(s.get("stage").asText(), s.get("outputs"));
        }
        assertEquals(List.of("fetch-data", "load-model", "train", "evaluate", "gate", "upload", "commit"), order);

        // fetch-data: the validator's rows, half held out for evaluation and half to train on, disjoint, and each
        // snapshot's artifact digest is the file's
        JsonNode data = out.get("fetch-data");
        int heldOut = MinerWorld.SAMPLES / 2;
        assertEquals(MinerWorld.SAMPLES - heldOut, data.get("kept").asInt(), data.toPrettyString());
        Path trainSnapshot = Path.of(data.get("snapshotPath").asText());
        Path snapshot = Path.of(data.get("evalSnapshotPath").asText());
        List<String> trainChallenges = SnapshotWriter.read(trainSnapshot).stream().map(McSample::challenge).toList();
        List<String> evalChallenges = SnapshotWriter.read(snapshot).stream().map(McSample::challenge).toList();
        assertEquals(heldOut, evalChallenges.size());
        assertTrue(evalChallenges.stream().noneMatch(trainChallenges::contains), "a held-out question trains");
        assertEquals(world.challenges.stream().sorted().toList(),
                Stream.concat(trainChallenges.stream(), evalChallenges.stream()).sorted().toList());
        assertArtifact(run, trainSnapshot);
        assertArtifact(run, snapshot);
        assertTrue(world.wandb.violations().isEmpty(), world.wandb.violations().toString());

        // load-model: uid 5's pinned commit, byte-equal to the Hub's files, downloaded once each
        JsonNode load = out.get("load-model");
        assertEquals("load_uid", load.get("source").asText());
        assertEquals(MinerWorld.INCUMBENT_BLOCK, load.get("block").asLong());
        Path snapshotDir = Path.of(load.get("modelDir").asText());
        assertTrue(snapshotDir.endsWith(Path.of("models--sn37--incumbent", "snapshots", world.incumbentCommit)),
                snapshotDir.toString());
        Map<String, byte[]> served = world.hub.headFiles(MinerWorld.INCUMBENT_REPO);
        assertEquals(served.keySet().stream().sorted().toList(), MinerWorld.files(snapshotDir));
        for (Map.Entry<String, byte[]> f : served.entrySet()) {
            assertArrayEquals(f.getValue(), Files.readAllBytes(snapshotDir.resolve(f.getKey())), f.getKey());
        }
        assertEquals(world.incumbentMetadata.split(":")[3], HashRecomputation.secureHash(snapshotDir,
                Ss58.encode(world.incumbentKey.publicKey())), "the download hashes to the chain's secure hash");
        long lfsFiles = served.keySet().stream().filter(f -> f.endsWith(".safetensors")).count();
        assertEquals(lfsFiles, world.hub.count(FakeHub.Kind.CDN_GET), "each LFS file downloaded once");

        // train: the steps asked for, one loss each, the best model on disk and registered
        JsonNode train = out.get("train");
        assertEquals(2, train.get("steps").asInt());
        assertEquals(2, train.get("stepLosses").size());
        assertTrue(train.get("stepLosses").get(0).asDouble() > 0);
        Path trained = Path.of(train.get("modelDir").asText());
        for (String f : MinerWorld.files(trained)) assertArtifact(run, trained.resolve(f));

        // evaluate: every held-out question scored once against its reference; deviation and composite recomputed
        JsonNode eval = out.get("evaluate");
        assertTrue(eval.get("evaluated").asBoolean(), eval.toPrettyString());
        double metric = eval.get("metric").asDouble();
        assertTrue(Double.isFinite(metric) && metric >= 0, eval.toPrettyString());
        Map<String, String> references = new HashMap<>();
        for (McSample sample : SnapshotWriter.read(snapshot)) references.put(sample.id(), sample.reference());
        List<String> results = Files.readAllLines(Path.of(eval.get("resultsPath").asText()));
        assertEquals(heldOut, results.size());
        int correct = 0;
        for (String line : results) {
            JsonNode q = Json.mapper().readTree(line);
            assertEquals(references.get(q.get("id").asText()), q.get("reference").asText(), line);
            boolean right = q.hasNonNull("answer") && q.get("answer").asText().equals(q.get("reference").asText());
            assertEquals(right, q.get("correct").asBoolean(), line);
            if (right) correct++;
        }
        assertEquals(correct, eval.get("correct").asInt());
        assertEquals(1.0 - (double) correct / heldOut, eval.get("deviation").asDouble(), 1e-12);
        double composite = 0;
        for (JsonNode task : eval.get("tasks")) composite += task.path("weighted").asDouble(0);
        assertEquals(composite, metric, 1e-9, "the metric is the sum of the weighted task scores");
        assertEquals(Path.of(train.get("modelDir").asText()), Path.of(eval.get("modelDir").asText()));
        JsonNode gate = out.get("gate");
        assertTrue(gate.get("passed").asBoolean());
        assertEquals(metric, gate.get("metric").asDouble());

        // upload: one Hub commit whose files are the trained model's bytes
        assertEquals(1, world.hub.commitsApplied(MinerWorld.REPO), "exactly one Hub commit");
        String head = world.hub.head(MinerWorld.REPO);
        JsonNode upload = out.get("upload");
        assertEquals(head, upload.get("commitOid").asText());
        Map<String, byte[]> published = world.hub.headFiles(MinerWorld.REPO);
        List<String> hashed = new ArrayList<>();
        for (Map.Entry<String, byte[]> f : published.entrySet()) {
            if (f.getKey().equals(".gitattributes") || f.getKey().equals("README.md")) continue;
            assertArrayEquals(Files.readAllBytes(trained.resolve(f.getKey())), f.getValue(), f.getKey());
            hashed.add(f.getKey());
        }
        assertTrue(hashed.contains("model.safetensors") && hashed.contains("config.json"), hashed.toString());

        // the ModelId, rebuilt by hand from the Hub's head and the published bytes
        String hotkey = Ss58.encode(ChainTestKit.testHotkey().publicKey());
        String expected = String.join(":", FakeHub.USER, "sn37-e2e", head,
                HashRecomputation.secureHash(trained, hashed.stream().sorted().toList(), hotkey), "2");
        assertEquals(expected, upload.get("modelId").asText());

        // commit: one extrinsic, the chain holds our string, the repo is public
        JsonNode commit = out.get("commit");
        assertEquals(expected, commit.get("modelId").asText());
        assertEquals(1, world.node.submissions().size(), "exactly one extrinsic");
        assertEquals(expected, world.node.commitment(37, ChainTestKit.testHotkey().publicKey()).orElseThrow()
                .firstRawText().orElseThrow());
        assertTrue(commit.get("block").asLong() > 20_000, commit.toPrettyString());
        assertFalse(world.hub.isPrivate(MinerWorld.REPO), "public after the chain commit");
        assertTrue(commit.get("public").asBoolean());
        assertTrue(world.hub.violations().isEmpty(), world.hub.violations().toString());
        assertTrue(world.node.violations().isEmpty(), world.node.violations().toString());
        assertTrue(run.get("effects").size() >= 2, run.get("effects").toPrettyString());
        assertEveryArtifactIsItsFile(run);
        for (JsonNode e : run.get("effects")) assertEquals("CONFIRMED", e.get("status").asText(), e.toString());
    }

    private static void assertEveryArtifactIsItsFile(JsonNode run) throws Exception {
        assertTrue(run.get("artifacts").size() >= 5, run.get("artifacts").toPrettyString());
        for (JsonNode a : run.get("artifacts")) {
            Path file = Path.of(a.get("path").asText());
            assertTrue(Files.isRegularFile(file), a.toString());
            assertEquals(a.get("sizeBytes").asLong(), Files.size(file), a.toString());
            if (a.hasNonNull("sha256")) {
                assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))),
                        a.get("sha256").asText(), a.toString());
            }
        }
    }

    private static void assertArtifact(JsonNode run, Path file) throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        for (JsonNode a : run.get("artifacts")) {
            if (Path.of(a.get("path").asText()).equals(file)) {
                assertEquals(Files.size(file), a.get("sizeBytes").asLong(), file.toString());
                if (a.hasNonNull("sha256")) assertEquals(sha, a.get("sha256").asText(), file.toString());
                return;
            }
        }
        fail("no artifact recorded for " + file + " in " + run.get("artifacts"));
    }

    private void assertNoSecretIn(JsonNode run, ListAppender<ILoggingEvent> logs, List<String> answers) throws IOException {
        String db = new String(Files.readAllBytes(dir.resolve("db/pipeline.mv.db")), StandardCharsets.ISO_8859_1);
        assertTrue(db.contains("sn37-e2e"), "the scan reads the run's parameters in the file, so it would see a secret");
        assertTrue(logs.list.size() > 5, "the log scan saw the run's log lines");
        List<String> texts = new ArrayList<>(answers);
        for (ILoggingEvent e : logs.list) {
            texts.add(e.getFormattedMessage());
            if (e.getThrowableProxy() != null) texts.add(String.valueOf(e.getThrowableProxy().getMessage()));
        }
        texts.add(run.toString());
        texts.add(db);
        // every file the run wrote (the wallet itself holds the seed, of course)
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.startsWith(dir.resolve("wallets"))).toList()) {
                texts.add(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        for (String secret : MinerWorld.secrets()) {
            for (String text : texts) {
                assertFalse(text.contains(secret), () -> "a secret leaked into: "
                        + text.substring(0, Math.min(300, text.length())));
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
