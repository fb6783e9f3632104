package sn37.miner.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.competition.ModelConstraints;
import sn37.miner.config.Endpoints;
import sn37.miner.util.Json;
import sn37.miner.util.Secret;
import sn37.miner.config.Secrets;
import sn37.miner.fake.FakeHub.Kind;
import sn37.miner.fake.FakeHub;
import sn37.miner.hub.FileDigests;
import sn37.miner.metadata.DirectoryHash;
import sn37.miner.metadata.ModelId;
import sn37.miner.metadata.SecureHash;
import sn37.miner.publish.FakeHubClients;
import sn37.miner.publish.PublishedModel;
import sn37.miner.publish.TinyModels;
import sn37.miner.run.EffectStatus;
import sn37.miner.run.EffectRecords;
import sn37.miner.run.ForwardingEffects;
import sn37.miner.run.ExternalEffect;
import sn37.miner.run.RunDatabase;
import sn37.miner.run.RunStore;
import sn37.miner.run.StoreEffects;
import sn37.miner.wallet.WalletException;

class UploadTest {
    private static final String REPO = FakeHub.USER + "/sn37-model";
    private static final IntFunction<ModelConstraints> ROOMY = id -> TinyModels.b7(10_000_000);
    private static final List<String> SHARDED = List.of("config.json", "generation_config.json",
            "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors", "model.safetensors.index.json");

    @TempDir
    Path tmp;

    private FakeHubClients hub;
    private RunDatabase db;
    private RunStore store;
    private String runId;
    private Path wallets;
    private Path model;

    @BeforeEach
    void start() throws Exception {
        hub = new FakeHubClients();
        db = RunDatabase.open(tmp.resolve("db"));
        store = new RunStore(db.dataSource());
        runId = store.createRun("pipeline", "{}", "HTTP", null).run().id();
        wallets = TinyModels.wallet(tmp.resolve("wallets"), "miner", "hot");
        // 4 tensors of 100 KB in 2 shards of 200 KB: 4 multipart parts each on the fake (64 KB chunks).
        model = TinyModels.write(tmp.resolve("model"), 4, 50_000, 210_000, 7);
    }

    @AfterEach
    void stop() {
        hub.assertNoViolations();
        hub.close();
        db.close();
    }

    private Upload upload(IntFunction<ModelConstraints> limits, String token) {
        StageServices services = new StageServices(
                new Secrets(Optional.ofNullable(token).map(Secret::of), Optional.empty(), Optional.empty()),
                new Endpoints(hub.fake.endpoint(), "http://127.0.0.1:9", Map.of()), tmp, Clock.systemUTC());
        return new Upload(services, limits, null, hub.sleeps::add, 1);
    }

    private Upload upload() {
        return upload(ROOMY, FakeHubClients.WRITE_TOKEN);
    }

    private RunParams params(String repo, Path dir) throws Exception {
        String json = "{\"hf_repo_id\": \"" + repo + "\", \"wallet_path\": \"" + wallets + "\", \"wallet_name\": \"miner\","
                + " \"wallet_hotkey\": \"hot\"" + (dir == null ? "" : ", \"upload_dir\": \"" + dir + "\"") + "}";
        return Json.mapper().readValue(json, RunParams.class);
    }

    private StageContext ctx(RunParams params, JsonNode trainOutputs) {
        return ctx(params, trainOutputs, new StoreEffects(store, runId, StageNames.UPLOAD));
    }

    private StageContext ctx(RunParams params, JsonNode trainOutputs, EffectRecords effects) {
        StageContext.Outputs outputs = new StageContext.Outputs() {
            @Override
            public <T> Optional<T> of(String stage, Class<T> type) {
                if (!stage.equals(StageNames.TRAIN) || trainOutputs == null) return Optional.empty();
                try {
                    return Optional.of(Json.recordReader(type).<T>readValue(trainOutputs));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        return StageContexts.of(params, tmp.resolve("work")).run(runId, 1).outputs(outputs).effects(effects).build();
    }

    @Test
    void reportsTheBytesSentInOrderUpToTheModelsTotal() throws Exception {
        List<ProgressEvent> events = new java.util.ArrayList<>();
        StageContext.Outputs none = new StageContext.Outputs() {
            @Override
            public <T> Optional<T> of(String stage, Class<T> type) {
                return Optional.empty();
            }
        };
        StageContext ctx = StageContexts.of(params(REPO, model), tmp.resolve("work")).run(runId, 1).outputs(none)
                .effects(new StoreEffects(store, runId, StageNames.UPLOAD)).progress(events::add).build();

        PublishedModel out = upload().run(ctx);

        long total = 0;
        for (String file : out.files().keySet()) total += java.nio.file.Files.size(model.resolve(file));
        assertTrue(events.size() >= 2, events.toString());
        for (int i = 0; i < events.size(); i++) {
            ProgressEvent e = events.get(i);
            assertEquals(List.of("upload", "byte", total), List.of(e.stage(), e.unit(), e.total()), e.toString());
            assertTrue(i == 0 || e.done() >= events.get(i - 1).done(), "in order: " + events);
        }
        assertTrue(events.get(0).done() < total, "the LFS objects count as they land: " + events);
        assertEquals(total, events.get(events.size() - 1).done());
    }

    private PublishedModel run(Upload upload) throws Exception {
        return upload.run(ctx(params(REPO, model), null));
    }

    private List<ExternalEffect> effects() {
        return store.effects(runId);
    }

    private int requests() {
        return hub.count(Kind.values());
    }

    @Test
    void publishesAShardedModelInOneCommitThatDeletesStaleFiles() throws Exception {
        hub.fake.createRepo(REPO, true);
        hub.fake.seedCommit(REPO, Map.of("README.md", "# card\n".getBytes(StandardCharsets.UTF_8)),
                Map.of("model.safetensors", new byte[] {1, 2, 3}, "model-00003-of-00003.safetensors", new byte[] {4}));
        TinyModels.writeText(model, "optimizer.pt", "kept local");

        PublishedModel out = run(upload());

        assertEquals(1, hub.fake.count(Kind.COMMIT));
        assertEquals(1, hub.fake.commitsApplied(REPO));
        String commit = hub.fake.requests(Kind.COMMIT).get(0).getBody().utf8();
        assertTrue(commit.contains("{\"key\":\"deletedFile\",\"value\":{\"path\":\"model.safetensors\"}}"), commit);
        Set<String> head = hub.fake.headFiles(REPO).keySet();
        assertEquals(Set.of("README.md", SHARDED.get(0), SHARDED.get(1), SHARDED.get(2), SHARDED.get(3), SHARDED.get(4)),
                head);
        assertEquals(List.of("model-00003-of-00003.safetensors", "model.safetensors"), out.deleted());
        assertEquals(List.of("optimizer.pt"), out.ignored());
        assertEquals(DirectoryHash.ofFiles(model, SHARDED), out.dirHash());
        assertEquals(SecureHash.of(out.dirHash(), TinyModels.HOTKEY), out.secureHash());
        assertEquals(hub.fake.head(REPO), out.commitOid());
        assertEquals(Optional.of(new ModelId(FakeHub.USER, "sn37-model", out.commitOid(), null, out.secureHash(), 2)),
                ModelId.fromCompressedString(out.modelId()));
        assertEquals(FileDigests.sha256Hex(model.resolve(SHARDED.get(2))), out.files().get(SHARDED.get(2)).oid());
        assertFalse(out.reused());
        List<ExternalEffect> effects = effects();
        assertEquals(1, effects.size());
        assertEquals(EffectStatus.CONFIRMED, effects.get(0).status());
        assertTrue(effects.get(0).effectKey().startsWith("hf:" + REPO + ":"), effects.get(0).effectKey());
        assertTrue(effects.get(0).responseJson().contains(out.commitOid()));
        String json = Json.mapper().writeValueAsString(out);
        assertFalse(json.contains(FakeHubClients.WRITE_TOKEN));
    }

    @Test
    void createsTheRepoPrivateWhenItDoesNotExist() throws Exception {
        PublishedModel out = run(upload());

        assertTrue(hub.fake.isPrivate(REPO));
        assertEquals(List.of(), out.deleted());
        long gitattributes = hub.client().modelInfo(sn37.miner.hub.RepoId.parse(REPO), out.commitOid())
                .file(".gitattributes").orElseThrow().size();
        assertEquals(out.totalBytes() + gitattributes, out.repoBytes(), "validators count .gitattributes too");
    }

    @Test
    void resumesAfterAProcessDeathMidMultipartWithoutResendingStoredParts() throws Exception {
        AtomicInteger parts = new AtomicInteger();
        Runnable storageFailsAfterFiveParts = new Runnable() {
            @Override
            public void run() {
                if (parts.incrementAndGet() == 5) {
                    hub.fake.failNext(Kind.LFS_PART_PUT, 503, 6); // the sixth part and its five retries
                } else {
                    hub.fake.onHandled(Kind.LFS_PART_PUT, this);
                }
            }
        };
        hub.fake.onHandled(Kind.LFS_PART_PUT, storageFailsAfterFiveParts);
        assertThrows(StageException.class, () -> run(upload()));
        assertEquals(0, hub.fake.count(Kind.COMMIT));

        PublishedModel out = run(upload());

        for (String shard : List.of(SHARDED.get(2), SHARDED.get(3))) {
            assertEquals(4, hub.fake.partPuts(FileDigests.sha256Hex(model.resolve(shard))), shard);
        }
        assertEquals(0, hub.fake.resentParts());
        assertEquals(1, hub.fake.count(Kind.COMMIT));
        assertEquals(DirectoryHash.ofFiles(model, SHARDED), out.dirHash());
    }

    @Test
    void aLostCommitAnswerIsReconciledWithoutASecondCommit() throws Exception {
        hub.fake.dropResponseNext(Kind.COMMIT);

        PublishedModel out = run(upload());

        assertTrue(out.reused());
        assertEquals(1, hub.fake.count(Kind.COMMIT));
        assertEquals(hub.fake.head(REPO), out.commitOid());
        assertEquals(EffectStatus.CONFIRMED, effects().get(0).status());
    }

    @Test
    void aLostCommitAnswerWhoseCommitDidNotLandIsMarkedAbsentAndSentOnceMore() throws Exception {
        hub.fake.failNext(Kind.COMMIT, 502, 1);

        PublishedModel out = run(upload());

        assertFalse(out.reused());
        assertEquals(2, hub.fake.count(Kind.COMMIT));
        assertEquals(1, hub.fake.commitsApplied(REPO));
        assertEquals(hub.fake.head(REPO), out.commitOid());
        assertEquals(List.of(EffectStatus.ABSENT, EffectStatus.CONFIRMED),
                effects().stream().map(ExternalEffect::status).toList());
    }

    @Test
    void aResumedRunAdoptsTheCommitAnIntendedRecordDescribes() throws Exception {
        hub.fake.dropResponseNext(Kind.COMMIT);
        hub.fake.onHandled(Kind.COMMIT, () -> hub.fake.failNext(Kind.MODEL_INFO, 503, 6));
        StageException failed = assertThrows(StageException.class, () -> run(upload()));
        assertTrue(failed.getMessage().contains("HTTP 503"), failed.getMessage());
        assertEquals(EffectStatus.INTENDED, effects().get(0).status());

        PublishedModel out = run(upload());

        assertTrue(out.reused());
        assertEquals(1, hub.fake.count(Kind.COMMIT));
        assertEquals(1, hub.fake.commitsApplied(REPO));
        assertEquals(EffectStatus.CONFIRMED, effects().get(0).status());
        assertEquals(1, effects().size());
    }

    @Test
    void anIntendedCommitThatNeverLandedIsMarkedAbsentAndSentAgain() throws Exception {
        EffectRecords dying = new DyingOnceIntended(new StoreEffects(store, runId, StageNames.UPLOAD));
        assertThrows(IllegalStateException.class, () -> upload().run(ctx(params(REPO, model), null, dying)));

        PublishedModel out = run(upload());

        assertFalse(out.reused());
        assertEquals(1, hub.fake.count(Kind.COMMIT));
        List<EffectStatus> statuses = effects().stream().map(ExternalEffect::status).toList();
        assertEquals(List.of(EffectStatus.ABSENT, EffectStatus.CONFIRMED), statuses);
        assertTrue(effects().get(1).effectKey().endsWith("#2"));
    }

    @Test
    void resumingAfterAConfirmedCommitMakesNoCommitCall() throws Exception {
        PublishedModel first = run(upload());
        int writes = hub.count(Kind.PREUPLOAD, Kind.LFS_BATCH, Kind.COMMIT, Kind.CREATE_REPO);

        PublishedModel again = run(upload());

        assertEquals(writes, hub.count(Kind.PREUPLOAD, Kind.LFS_BATCH, Kind.COMMIT, Kind.CREATE_REPO));
        assertEquals(1, hub.fake.count(Kind.COMMIT));
        assertEquals(first, again);
    }

    @Test
    void uploadsTheTokenizerOnlyWhenTheCompetitionTakesTheModelsOwn() throws Exception {
        TinyModels.writeText(model, "tokenizer.json", "{\"version\": \"1.0\"}");
        TinyModels.writeText(model, "tokenizer_config.json", "{\"eos_token\": \"<|endoftext|>\"}");

        PublishedModel own = run(upload(id -> TinyModels.ownTokenizer(10_000_000),
                FakeHubClients.WRITE_TOKEN));

        assertTrue(own.files().containsKey("tokenizer.json"));
        assertTrue(own.files().containsKey("tokenizer_config.json"));
        List<String> hashed = new ArrayList<>(SHARDED);
        hashed.add("tokenizer.json");
        hashed.add("tokenizer_config.json");
        assertEquals(DirectoryHash.ofFiles(model, hashed), own.dirHash());

        PublishedModel fixed = run(upload());

        assertEquals(List.of("tokenizer.json", "tokenizer_config.json"), fixed.ignored());
        assertEquals(List.of("tokenizer.json", "tokenizer_config.json"), fixed.deleted());
        assertFalse(hub.fake.headFiles(REPO).containsKey("tokenizer.json"));
    }

    @Test
    void readsTheModelDirFromTheTrainStageUnlessGivenUploadDir() throws Exception {
        Upload upload = upload();
        RunParams pipeline = params(REPO, null);
        assertEquals(List.of(StageNames.TRAIN), upload.requires(pipeline));
        assertEquals(List.of(), upload.requires(params(REPO, model)));
        assertTrue(upload.explicitInputs().contains("upload_dir"));

        PublishedModel out = upload.run(ctx(pipeline,
                JsonNodeFactory.instance.objectNode().put("modelDir", model.toString())));

        assertEquals(DirectoryHash.ofFiles(model, SHARDED), out.dirHash());
        StageException e = assertThrows(StageException.class, () -> upload.run(ctx(pipeline, null)));
        assertTrue(e.getMessage().contains("upload_dir"), e.getMessage());
    }

    // ---- bad inputs: a clear error before any request reaches the Hub ----

    private StageException refused(Upload upload, RunParams params) {
        StageException e = assertThrows(StageException.class, () -> upload.run(ctx(params, null)));
        assertFalse(e.getMessage().contains(FakeHubClients.WRITE_TOKEN));
        return e;
    }

    /** RunParams validates --hf_repo_id as it is parsed, so a bad one never reaches the stage. */
    @Test
    void refusesRepoIdsThatBreakTheChainBudgetAtTheEdge() {
        Throwable tooLong = assertThrows(Exception.class, () -> params("miner/" + "m".repeat(33), model)).getCause();
        Throwable slashes = assertThrows(Exception.class, () -> params("miner/sn37/model", model)).getCause();
        assertTrue(tooLong instanceof InvalidParameterException && slashes instanceof InvalidParameterException);

        assertTrue(tooLong.getMessage().contains("--hf_repo_id must be 4 to 38 characters"), tooLong.getMessage());
        assertTrue(slashes.getMessage().contains("exactly one '/'"), slashes.getMessage());
    }

    @Test
    void refusesADirWithoutConfigJson() throws Exception {
        Files.delete(model.resolve("config.json"));

        StageException e = refused(upload(), params(REPO, model));

        assertTrue(e.getMessage().contains("has no config.json"), e.getMessage());
        assertEquals(0, requests());
    }

    @Test
    void refusesBinWeights() throws Exception {
        TinyModels.writeText(model, "pytorch_model-00001-of-00002.bin", "pickle");

        StageException e = refused(upload(), params(REPO, model));

        assertTrue(e.getMessage().contains("safetensors only"), e.getMessage());
        assertEquals(0, requests());
    }

    @Test
    void refusesADirOverTheSizeLimit() throws Exception {
        StageException e = refused(upload(id -> TinyModels.b7(100_000),
                FakeHubClients.WRITE_TOKEN), params(REPO, model));

        assertTrue(e.getMessage().contains("limit of 100000 bytes"), e.getMessage());
        assertEquals(0, requests());
    }

    @Test
    void refusesAnInvalidTokenWithWhatToDo() throws Exception {
        String bad = "hf_notAValidToken0123456789";

        StageException e = refused(upload(ROOMY, bad), params(REPO, model));

        assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
        assertTrue(e.getMessage().contains("create a new one with write access"), e.getMessage());
        assertFalse(e.getMessage().contains(bad));
        assertEquals(0, hub.count(Kind.CREATE_REPO, Kind.PREUPLOAD, Kind.LFS_BATCH, Kind.COMMIT));
    }

    @Test
    void refusesAReadOnlyToken() throws Exception {
        StageException e = refused(upload(ROOMY, FakeHubClients.READ_TOKEN), params(REPO, model));

        assertTrue(e.getMessage().contains("read-only"), e.getMessage());
        assertFalse(e.getMessage().contains(FakeHubClients.READ_TOKEN));
        assertEquals(0, hub.count(Kind.CREATE_REPO, Kind.PREUPLOAD, Kind.LFS_BATCH, Kind.COMMIT));
    }

    @Test
    void aHubRefusalToWriteSaysWhatToDo() throws Exception {
        hub.fake.failNext(Kind.CREATE_REPO, 403, 1);

        StageException e = refused(upload(), params(REPO, model));

        assertTrue(e.getMessage().contains("HTTP 403"), e.getMessage());
        assertTrue(e.getMessage().contains("write access"), e.getMessage());
        assertEquals(0, hub.count(Kind.PREUPLOAD, Kind.LFS_BATCH, Kind.COMMIT));
    }

    @Test
    void refusesToStartWithoutRepoTokenOrWallet() throws Exception {
        RunParams noRepo = Json.mapper().readValue("{\"upload_dir\": \"" + model + "\"}", RunParams.class);
        StageException repo = refused(upload(), noRepo);
        StageException token = refused(upload(ROOMY, null), params(REPO, model));
        Files.delete(wallets.resolve("miner").resolve("hotkeys").resolve("hot"));
        WalletException wallet = assertThrows(WalletException.class,
                () -> upload().run(ctx(params(REPO, model), null)));

        assertTrue(repo.getMessage().contains("--hf_repo_id"), repo.getMessage());
        assertTrue(token.getMessage().contains("HF_ACCESS_TOKEN"), token.getMessage());
        assertTrue(wallet.getMessage().startsWith("no hotkey file at "), wallet.getMessage());
        assertTrue(wallet.getMessage().contains("--wallet.name miner --wallet.hotkey hot"), wallet.getMessage());
        assertEquals(0, requests());
    }

    /** The process dies right after the intent is recorded, before the commit is sent. */
    private static final class DyingOnceIntended extends ForwardingEffects {
        DyingOnceIntended(EffectRecords store) {
            super(store);
        }

        @Override
        public ExternalEffect intend(String effectKey, String requestJson) {
            store.intend(effectKey, requestJson);
            throw new IllegalStateException("simulated process death before the commit was sent");
        }
    }
}
