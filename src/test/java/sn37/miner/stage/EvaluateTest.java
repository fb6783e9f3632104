package sn37.miner.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.util.Json;
import sn37.miner.data.JsonlSampleSource;
import sn37.miner.data.McSample;
import sn37.miner.data.McSplit;
import sn37.miner.data.ReasoningSample;
import sn37.miner.data.ReasoningSnapshot;
import sn37.miner.data.ReasoningTask;
import sn37.miner.data.SnapshotWriter;
import sn37.miner.eval.TaskScore;
import sn37.miner.eval.TinyTransformer;
import sn37.miner.eval.WordEncoder;
import sn37.miner.model.CheckpointWriter;
import sn37.miner.model.Dtype;
import sn37.miner.model.FloatTensor;
import sn37.miner.model.ModelConfig;
import sn37.miner.model.PromptEncoder;
import sn37.miner.model.TensorData;

class EvaluateTest {

    private static final int VOCAB = 256;
    private static final StageServices SERVICES = new StageServices(null, null, Path.of("."), Clock.systemUTC());
    private static final Evaluate.ScoringSettings OPTIONS = new Evaluate.ScoringSettings("oct2024", -1, 8, 12);
    private static final ModelOpener TINY = (dir, params) -> new ModelOpener.OpenModel(
            new TinyTransformer(new TinyTransformer.Config(VOCAB, 16, 2, 2, 32, 9)), new WordEncoder(VOCAB));

    @TempDir
    Path tmp;

    private Path snapshot;

    @BeforeEach
    void writeSnapshot() throws Exception {
        snapshot = SnapshotWriter.write(JsonlSampleSource.bundled().load().samples(), tmp.resolve("snap.jsonl")).path();
    }

    /** A 2-layer Llama checkpoint whose projections all have norm {@code norm}. */
    private Path checkpoint(String name, double projectionNorm) throws Exception {
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(
                "{\"model_type\": \"llama\", \"num_hidden_layers\": 2, \"hidden_size\": 8}");
        List<TensorData> tensors = new ArrayList<>();
        tensors.add(tensor("model.embed_tokens.weight", 64, 5));
        for (int i = 0; i < 2; i++) {
            for (String p : List.of("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
                    "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj")) {
                tensors.add(tensor("model.layers." + i + "." + p + ".weight", 64, projectionNorm));
            }
        }
        tensors.add(tensor("lm_head.weight", 64, 5));
        Path dir = tmp.resolve(name);
        CheckpointWriter.write(dir, new ModelConfig(json).withArchitectures(List.of("LlamaForCausalLM")), tensors);
        return dir;
    }

    private static TensorData tensor(String name, int count, double norm) {
        float[] v = new float[count];
        Arrays.fill(v, (float) (norm / Math.sqrt(count)));
        return new FloatTensor(name, Dtype.F32, new long[] {8, count / 8}, v);
    }

    /** The bundled 40 questions as the held-out snapshot, beside a training snapshot of other questions. */
    private StageContext context(Path modelDir, String paramsJson) throws Exception {
        Path train = SnapshotWriter.write(List.of(new McSample("a question only trained on?", "B")),
                tmp.resolve("train.jsonl")).path();
        return context(modelDir, paramsJson, Json.mapper().writeValueAsString(FetchOutputs.heldOut(train, snapshot)));
    }

    private StageContext context(Path modelDir, String paramsJson, String fetchOutputs) throws Exception {
        Map<String, String> outputs = Map.of(
                StageNames.TRAIN, "{\"modelDir\": " + Json.mapper().writeValueAsString(modelDir.toString()) + "}",
                StageNames.FETCH_DATA, fetchOutputs);
        RunParams params = Json.mapper().readValue(paramsJson, RunParams.class);
        return StageContexts.of(params, tmp.resolve("work")).outputs(new StageContext.Outputs() {
            @Override
            public <T> Optional<T> of(String stage, Class<T> type) {
                String json = outputs.get(stage);
                try {
                    return json == null ? Optional.empty() : Optional.of(Json.mapper().readValue(json, type));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }).build();
    }

    @Test
    void scoresTheTrainedModelOnTheSnapshotAndRecordsEveryQuestion() throws Exception {
        StageContext ctx = context(checkpoint("trained", 10), "{\"seed\": 3}");
        Evaluate.Output out = new Evaluate(SERVICES, TINY, OPTIONS).run(ctx);

        assertTrue(out.evaluated(), out.failure());
        assertTrue(out.validation().passed(), out.validation().reason());
        assertEquals("float32", out.evalDtype(), "B7 is scored with transformers 4.44.1");
        assertEquals(40, out.questions());
        assertTrue(out.deviation() >= 0 && out.deviation() <= 1);
        List<TaskScore> tasks = out.tasks();
        assertEquals(List.of("SYNTHETIC_MMLU", "WORD_SORTING", "FINEWEB"), tasks.stream().map(TaskScore::name).toList());
        assertEquals(12, tasks.get(1).samples());
        assertTrue(tasks.get(2).skipped() != null, "fetch-data recorded no FINEWEB texts");
        double expected = (0.9 * out.deviation() + 0.05 * tasks.get(1).normalized()) / 0.95;
        assertEquals(expected, out.metric(), 1e-12);

        List<String> lines = Files.readAllLines(Path.of(out.resultsPath()));
        assertEquals(40, lines.size());
        JsonNode first = Json.mapper().readTree(lines.get(0));
        assertEquals("sn37-public-mc-0001", first.get("id").asText());
        assertEquals("A", first.get("reference").asText());
        assertTrue(first.has("generated") && first.has("answer") && first.has("correct"));
        assertEquals(List.of(Evaluate.RESULTS), ctx.artifacts().stream().map(Artifact::name).toList());
    }

    /** The PyTorch evaluator's place taken by a shell script running {@code body} in the job folder. */
    private sn37.miner.launch.LaunchSettings evaluator(String body) throws Exception {
        Path python = tmp.resolve("python");
        Files.writeString(python, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(python, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Files.createDirectories(tmp.resolve("trainer"));
        Files.writeString(tmp.resolve("trainer/evaluate.py"), "# not run here\n");
        return sn37.miner.launch.LaunchSettings.local(tmp).withPython(python);
    }

    @Test
    void withTheTorchBackendTheLossTasksComeFromTheEvaluatorAndMultipleChoiceFromDjl() throws Exception {
        Evaluate stage = new Evaluate(SERVICES, TINY, OPTIONS, evaluator("n=$(grep -c . samples.jsonl)\n"
                + "printf '{\"format\": 1, \"task\": \"WORD_SORTING\", \"method\": \"reference_loss\", \"samples\": %d,"
                + " \"loss\": 1.5, \"failure\": null, \"device\": \"cpu\", \"model_dtype\": \"bfloat16\","
                + " \"logits_dtype\": \"float32\", \"attn_implementation\": \"sdpa\", \"torch\": \"2.13.0\","
                + " \"transformers\": \"5.18.0\"}' $n > result.json"));
        Evaluate.Output out = stage.run(context(checkpoint("trained", 10),
                "{\"seed\": 3, \"eval_backend\": \"torch\"}"));

        assertTrue(out.evaluated(), out.failure());
        List<TaskScore> tasks = out.tasks();
        assertEquals("djl", tasks.get(0).backend(), "multiple choice is generated by DJL");
        assertEquals("torch", tasks.get(1).backend());
        assertEquals(1.5, tasks.get(1).raw());
        assertEquals(12, tasks.get(1).samples());
        assertNull(tasks.get(2).backend(), "FINEWEB is skipped");
        assertTrue(Files.isRegularFile(tmp.resolve("work/eval/torch/model/WORD_SORTING/samples.jsonl")));
    }

    @Test
    void aFailedTorchEvaluatorFailsTheStageNamingTheJobAndLog() throws Exception {
        Evaluate stage = new Evaluate(SERVICES, TINY, OPTIONS, evaluator("exit 1"));
        StageException e = assertThrows(StageException.class, () -> stage.run(context(checkpoint("trained", 10),
                "{\"eval_backend\": \"torch\"}")));
        Path job = tmp.resolve("work/eval/torch/model/WORD_SORTING");
        assertTrue(e.getMessage().contains(job.resolve("eval-job.json").toString())
                && e.getMessage().contains("exit code 1") && e.getMessage().contains(job.resolve("evaluate.log")
                        .toString()), e.getMessage());
    }

    @Test
    void theGateScoresTheHeldOutQuestionsOnlyAndNeverATrainingOne() throws Exception {
        StageContext fetchCtx = StageContexts.of(Json.mapper().readValue("{\"offline\": true}", RunParams.class),
                tmp.resolve("fetch")).run("run-f", 1).build();
        FetchData.Output fetched = new FetchData(LoadModelTest.Contexts.services(tmp)).run(fetchCtx);
        RecordingEncoder encoder = new RecordingEncoder();
        ModelOpener opener = (dir, params) -> new ModelOpener.OpenModel(
                new TinyTransformer(new TinyTransformer.Config(VOCAB, 16, 2, 2, 32, 9)), encoder);
        Evaluate.Output out = new Evaluate(SERVICES, opener, OPTIONS).run(reasoningContext(checkpoint("tiny", 10),
                "{\"offline\": true}", fetched));

        Set<String> held = mcHashes(SnapshotWriter.read(Path.of(fetched.evalSnapshotPath())));
        Set<String> trained = mcHashes(SnapshotWriter.read(Path.of(fetched.snapshotPath())));
        Set<String> seen = new HashSet<>();
        for (String chat : encoder.chats) {
            if (!chat.startsWith("Sort the following words")) seen.add(McSplit.contentHash(new McSample(chat, "A")));
        }
        assertEquals(20, out.questions());
        assertEquals(held, seen, "every held-out question was scored, by its hash");
        assertTrue(seen.stream().noneMatch(trained::contains), "the gate saw a training question");
        assertEquals(fetched.evalSnapshotPath(), out.evalSnapshotPath());
        assertEquals(fetched.evalSnapshotSha256(), out.evalSnapshotSha256());
    }

    @Test
    void finewebIsScoredOnTheTextsFetchDataDrewWithAFiniteLossAndTheirCount() throws Exception {
        StageContext fetchCtx = StageContexts.of(Json.mapper().readValue("{\"offline\": true}",
                RunParams.class), tmp.resolve("fetch")).run("run-f", 1)
                .outputs(new LoadModelTest.Contexts.Recorded()).build();
        FetchData.Output fetched = new FetchData(LoadModelTest.Contexts.services(tmp)).run(fetchCtx);

        Evaluate.Output out = new Evaluate(SERVICES, TINY, OPTIONS).run(context(checkpoint("tiny", 10),
                "{\"offline\": true}", Json.mapper().writeValueAsString(fetched)));

        TaskScore fineweb = out.tasks().get(2);
        assertEquals("FINEWEB", fineweb.name());
        assertNull(fineweb.skipped());
        assertEquals(6, fineweb.samples());
        assertTrue(Double.isFinite(fineweb.raw()) && fineweb.raw() > 0, "a mean cross-entropy: " + fineweb.raw());
        assertTrue(out.evaluated(), out.failure());
    }

    /** fetch-data's outputs as a run recorded them before the held-out split: one snapshot, no evaluation one. */
    @Test
    void aRunRecordedBeforeTheSplitIsScoredOnItsOneSnapshotAsItWasThen() throws Exception {
        String recorded = "{\"source\": \"jsonl:bundled\", \"provenance\": {\"source\": \"jsonl:bundled\"},"
                + " \"rowsRead\": 40, \"kept\": 40, \"droppedByReason\": {}, \"examples\": [],"
                + " \"snapshotPath\": " + Json.mapper().writeValueAsString(snapshot.toString()) + ","
                + " \"snapshotBytes\": " + Files.size(snapshot) + ", \"snapshotSha256\": \"" + "c".repeat(64) + "\","
                + " \"format\": \"sn1-mc\", \"evalSnapshotPath\": null, \"evalSnapshotBytes\": null,"
                + " \"evalSnapshotSha256\": null, \"evalByTask\": null, \"trainByTask\": null}";
        Evaluate.Output out = new Evaluate(SERVICES, TINY, OPTIONS).run(context(checkpoint("trained", 10),
                "{\"seed\": 3}", recorded));
        assertTrue(out.evaluated(), out.failure());
        assertEquals(40, out.questions(), "all of the one snapshot, as before the split");
        assertNull(out.evalSnapshotPath());
    }

    @Test
    void anEmptyHeldOutSplitLeavesMultipleChoiceUnscoredSayingWhy() throws Exception {
        Path empty = SnapshotWriter.write(List.of(), tmp.resolve("eval-empty.jsonl")).path();
        Evaluate.Output out = new Evaluate(SERVICES, TINY, OPTIONS).run(context(checkpoint("trained", 10),
                "{\"seed\": 3}", Json.mapper().writeValueAsString(FetchOutputs.heldOut(snapshot, empty))));
        TaskScore mc = out.tasks().get(0);
        assertEquals("SYNTHETIC_MMLU", mc.name());
        assertNull(mc.raw());
        assertTrue(mc.skipped().contains("no held-out evaluation questions"), mc.skipped());
        assertEquals(0, out.questions());
    }

    private static Set<String> mcHashes(List<McSample> samples) {
        Set<String> out = new HashSet<>();
        samples.forEach(s -> out.add(McSplit.contentHash(s)));
        return out;
    }

    @Test
    void aModelFailingValidatorsChecksScoresInfinityUnloadedAndTheGateRejectsIt() throws Exception {
        ModelOpener mustNotLoad = (dir, params) -> fail("a model that fails the checks must not be loaded");
        StageContext ctx = context(checkpoint("inflated", 1500), "{\"avg_loss_upload_threshold\": 0.9}");
        Evaluate.Output out = new Evaluate(SERVICES, mustNotLoad, OPTIONS).run(ctx);

        assertEquals(Double.POSITIVE_INFINITY, out.metric());
        assertFalse(out.evaluated());
        assertTrue(out.failure().contains("hard limit 1000"), out.failure());
        assertNull(out.resultsPath());

        String stored = Json.mapper().writeValueAsString(out);
        StageContext gateCtx = StageContexts.of(ctx.params(), tmp).outputs(new StageContext.Outputs() {
            @Override
            public <T> Optional<T> of(String stage, Class<T> type) {
                try {
                    return Optional.of(Json.mapper().readValue(stored, type));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }).build();
        Gate.Output decision = StageContexts.gateWithoutChain().run(gateCtx);
        assertFalse(decision.passed());
        assertEquals(Double.POSITIVE_INFINITY, decision.metric());
    }

    @Test
    void beatBestAlsoScoresTheIncumbentOnTheSameSamples() throws Exception {
        Path incumbent = checkpoint("incumbent", 2000); // fails the hard norm limit: validators would score it ∞
        StageContext ctx = context(checkpoint("trained", 10), "{\"seed\": 3, \"gate\": \"beat-best\", \"incumbent_dir\": "
                + Json.mapper().writeValueAsString(incumbent.toString()) + "}");
        Evaluate.Output out = new Evaluate(SERVICES, TINY, OPTIONS).run(ctx);
        assertTrue(out.evaluated(), out.failure());
        assertEquals(Double.POSITIVE_INFINITY, out.incumbentMetric());
        assertEquals(incumbent.toAbsolutePath().toString(), out.incumbentDir());
        assertEquals(List.of(Evaluate.RESULTS), ctx.artifacts().stream().map(Artifact::name).toList(),
                "only our model's per-question results are kept");
    }

    @Test
    void beatBestWithoutAnIncumbentSaysWhereToGetOne() throws Exception {
        StageContext ctx = context(checkpoint("trained", 10), "{\"gate\": \"beat-best\"}");
        StageException e = assertThrows(StageException.class, () -> new Evaluate(SERVICES, TINY, OPTIONS).run(ctx));
        assertTrue(e.getMessage().contains("--load_best") && e.getMessage().contains("--incumbent_dir"), e.getMessage());
    }

    @Test
    void aModelThatCannotBeLoadedScoresInfinity() throws Exception {
        ModelOpener broken = (dir, params) -> {
            throw new IllegalStateException("no PyTorch native library for this platform");
        };
        Evaluate.Output out = new Evaluate(SERVICES, broken, OPTIONS).run(context(checkpoint("ok", 10), "{}"));
        assertEquals(Double.POSITIVE_INFINITY, out.metric());
        assertTrue(out.failure().contains("no PyTorch native library"), out.failure());
        assertTrue(out.validation().passed());
    }

    @Test
    void anExplicitEvalDtypeOverridesTheCompetitionsDefault() throws Exception {
        Path dir = checkpoint("bf16", 10);
        Evaluate.Output bf16 = new Evaluate(SERVICES, TINY, OPTIONS).run(context(dir, "{\"eval_dtype\": \"bfloat16\"}"));
        Evaluate.Output f32 = new Evaluate(SERVICES, TINY, OPTIONS).run(context(dir, "{}"));
        assertEquals("bfloat16", bf16.evalDtype());
        double a = bf16.tasks().get(1).raw();
        double b = f32.tasks().get(1).raw();
        assertTrue(a != b && Math.abs(a - b) < 0.1, "bf16 word-sorting loss " + a + " vs float32 " + b);
    }

    @Test
    void aCompetitionNeitherInTheScheduleNorLiveNowIsAClearError() throws Exception {
        StageException e = assertThrows(StageException.class, () -> new Evaluate(SERVICES, TINY, OPTIONS)
                .run(context(checkpoint("x", 10), "{\"competition_id\": 3}")));
        assertTrue(e.getMessage().contains("INSTRUCT_8B") && e.getMessage().contains("oct2024"), e.getMessage());
    }

    /** Competition-4 rows: {@code n} of each task, tagged so that the two splits never share one. */
    private static List<ReasoningSample> reasoningRows(String split, int n) {
        List<ReasoningSample> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(new ReasoningSample(ReasoningTask.SYNTHETIC_1_SFT, split + " what is " + i + " plus " + i + "?",
                    "<think> add them </think> twice " + i + " \\boxed{" + 2 * i + "}", "p" + i, "verifiable_math"));
            rows.add(new ReasoningSample(ReasoningTask.CODEFORCES_COTS, split + " print the sum of " + i + " numbers",
                    "<think> loop over " + i + " </think> print sum", split + i, "CF"));
        }
        return rows;
    }

    /** The prompts and references a model was scored on, read off the encoder evaluate used. */
    private static final class RecordingEncoder implements PromptEncoder {
        final WordEncoder inner = new WordEncoder(VOCAB);
        final List<String> questions = new ArrayList<>();
        final List<String> references = new ArrayList<>();
        final List<String> chats = new ArrayList<>();

        @Override
        public int[] encodeChat(String userContent) {
            chats.add(userContent);
            return inner.encodeChat(userContent);
        }

        @Override
        public int[] encodeChat(String systemPrompt, String userContent) {
            assertEquals(ReasoningTask.SYSTEM_PROMPT, systemPrompt);
            questions.add(userContent);
            return inner.encodeChat(systemPrompt, userContent);
        }

        @Override
        public int[] encode(String text) {
            references.add(text);
            return inner.encode(text);
        }

        @Override
        public String decode(int[] ids, boolean skipSpecialTokens) {
            return inner.decode(ids, skipSpecialTokens);
        }

        @Override
        public int eosTokenId() {
            return inner.eosTokenId();
        }
    }

    private StageContext reasoningContext(Path modelDir, String paramsJson, FetchData.Output fetched)
            throws Exception {
        LoadModelTest.Contexts.Recorded outputs = new LoadModelTest.Contexts.Recorded();
        outputs.put(StageNames.TRAIN, Map.of("modelDir", modelDir.toString()));
        outputs.put(StageNames.FETCH_DATA, fetched);
        return StageContexts.of(Json.mapper().readValue(paramsJson, RunParams.class), tmp.resolve("work"))
                .outputs(outputs).build();
    }

    @Test
    void competitionFourScoresBothTasksOnTheHeldOutRowsAndNeverOnTrainingRows() throws Exception {
        List<ReasoningSample> eval = reasoningRows("eval", 3);
        List<ReasoningSample> train = reasoningRows("train", 5);
        FetchData.Output fetched = FetchOutputs.reasoning(
                ReasoningSnapshot.write(train, tmp.resolve("train.jsonl")).path(),
                ReasoningSnapshot.write(eval, tmp.resolve("eval.jsonl")).path());
        RecordingEncoder encoder = new RecordingEncoder();
        ModelOpener opener = (dir, params) -> new ModelOpener.OpenModel(
                new TinyTransformer(new TinyTransformer.Config(VOCAB, 16, 2, 2, 32, 9)), encoder);
        Evaluate.Output out = new Evaluate(SERVICES, opener, OPTIONS).run(reasoningContext(checkpoint("tiny", 10),
                "{\"competition_id\": 4, \"offline\": true}", fetched));

        assertEquals("later", out.schedule(), "competition 4 is the one live now, in HEAD's schedule");
        assertEquals(5_158_632, out.scheduleBlock());
        assertEquals(List.of("SYNTHETIC_1_SFT", "CODEFORCES_COTS"), out.tasks().stream().map(TaskScore::name).toList());
        for (TaskScore t : out.tasks()) {
            assertEquals(0.5, t.weight());
            assertEquals(3, t.samples(), t.name());
            assertTrue(t.raw() != null && Double.isFinite(t.raw()) && t.raw() > 0, t.name() + ": " + t.raw());
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < encoder.questions.size(); i++) {
            ReasoningTask task = encoder.questions.get(i).contains("plus") ? ReasoningTask.SYNTHETIC_1_SFT
                    : ReasoningTask.CODEFORCES_COTS;
            seen.add(new ReasoningSample(task, encoder.questions.get(i), encoder.references.get(i), null, null)
                    .sha256());
        }
        Set<String> held = new HashSet<>();
        eval.forEach(r -> held.add(r.sha256()));
        Set<String> trained = new HashSet<>();
        train.forEach(r -> trained.add(r.sha256()));
        assertEquals(held, seen, "every held-out row was scored, by its hash");
        assertTrue(seen.stream().noneMatch(trained::contains), "the gate saw a training row");
        assertEquals(fetched.evalSnapshotPath(), out.evalSnapshotPath());

        // The tiny checkpoint is far below 3.2 B parameters: scored offline to show how it does, never passed.
        assertEquals(Double.POSITIVE_INFINITY, out.metric());
        assertFalse(out.evaluated());
        assertTrue(out.failure().contains("outside the competition's bounds") && out.failure().contains("offline"),
                out.failure());
    }

    @Test
    void aTaskWithoutHeldOutRowsSaysWhyAndTheOtherCarriesTheWeight() throws Exception {
        List<ReasoningSample> eval = reasoningRows("eval", 2).stream()
                .filter(r -> r.task() == ReasoningTask.SYNTHETIC_1_SFT).toList();
        FetchData.Output fetched = FetchOutputs.reasoning(
                ReasoningSnapshot.write(reasoningRows("train", 2), tmp.resolve("train.jsonl")).path(),
                ReasoningSnapshot.write(eval, tmp.resolve("eval.jsonl")).path());
        Evaluate.Output out = new Evaluate(SERVICES, TINY, OPTIONS).run(reasoningContext(checkpoint("tiny", 10),
                "{\"competition_id\": 4, \"offline\": true}", fetched));
        assertEquals(1.0, out.tasks().get(0).appliedWeight());
        assertNull(out.tasks().get(1).raw());
        assertTrue(out.tasks().get(1).skipped().contains("no held-out evaluation rows"), out.tasks().get(1).skipped());
    }

    @Test
    void competitionFourWithoutAnEvaluationSplitSaysToFetchReasoningData() throws Exception {
        StageException e = assertThrows(StageException.class, () -> new Evaluate(SERVICES, TINY, OPTIONS).run(
                reasoningContext(checkpoint("tiny", 10), "{\"competition_id\": 4, \"offline\": true}",
                        FetchOutputs.multipleChoice(snapshot))));
        assertTrue(e.getMessage().contains("--data_source reasoning"), e.getMessage());
    }

    @Test
    void needsTheTrainedModelAndTheDataSnapshot() {
        assertEquals(List.of(StageNames.TRAIN, StageNames.FETCH_DATA),
                new Evaluate(SERVICES, TINY).requires(RunParams.defaults()));
    }
}
