package sn37.miner.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sn37.miner.competition.Competition;
import sn37.miner.competition.CompetitionId;
import sn37.miner.competition.CompetitionSchedule;
import sn37.miner.data.FinewebSnapshot;
import sn37.miner.data.FinewebText;
import sn37.miner.data.McSample;
import sn37.miner.data.ReasoningSample;
import sn37.miner.data.ReasoningSnapshot;
import sn37.miner.data.ReasoningTask;
import sn37.miner.data.SnapshotWriter;
import sn37.miner.eval.EvalDtype;
import sn37.miner.eval.LossBackend;
import sn37.miner.eval.ModelEvaluation;
import sn37.miner.eval.MultipleChoice;
import sn37.miner.eval.TaskScore;
import sn37.miner.eval.torch.TorchEvalException;
import sn37.miner.eval.torch.TorchLosses;
import sn37.miner.eval.validation.LocalValidation;
import sn37.miner.launch.LaunchSettings;

/**
 * Scores the trained model as the competition's validators would: first their model checks
 * ({@link LocalValidation}; a model that fails them scores +∞ with the reason, and the gate rejects it), then the
 * competition's tasks ({@link ModelEvaluation}): multiple choice and competition 4's reference losses on
 * fetch-data's held-out evaluation snapshot only, never the rows train learned from (a run recorded before SN1 data
 * was split has one snapshot, and is scored on it as it was then), and FINEWEB on the fineweb-edu texts fetch-data
 * drew for it (skipped, with the reason, when it drew none). Writes every
 * multiple-choice question's outcome to {@code eval/mc-results.jsonl}; {@code metric} is the composite score, lower
 * is better, +∞ when the model could not be evaluated. Offline, a model that fails the checks is scored anyway
 * (nothing is published; the scores show how it does), and its metric stays +∞. With {@code --eval_backend torch}
 * the loss tasks are computed by transformers in bf16 ({@link TorchLosses}, jobs under {@code eval/torch/}) and
 * multiple choice still by DJL; each task's {@code backend} says which.
 */
public final class Evaluate implements Stage {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Evaluate.class);

    public static final String RESULTS = "eval-results";

    /**
     * Which tasks apply: the competition in force at {@code block} of the named schedule (a negative block means
     * the schedule's latest entry), questions per generation batch, and how many word-sorting samples to make.
     */
    public record ScoringSettings(String schedule, long block, int batchSize, int wordSortingSamples) {
        public ScoringSettings {
            CompetitionSchedule.named(schedule);
            if (batchSize < 1) throw new IllegalArgumentException("eval batch size must be >= 1, got " + batchSize);
            if (wordSortingSamples < 1) {
                throw new IllegalArgumentException("word-sorting samples must be >= 1, got " + wordSortingSamples);
            }
        }

        /** The Oct 2024 schedule's latest entry (MMLU 0.90, WORD_SORTING 0.05, FINEWEB 0.05), batches of 8. */
        public static ScoringSettings defaults() {
            return new ScoringSettings("oct2024", -1, 8, 400);
        }

        /** The block whose schedule entry applies: {@code block}, or the start of the schedule's latest entry. */
        public long effectiveBlock() {
            List<CompetitionSchedule.Entry> entries = CompetitionSchedule.named(schedule).entries();
            return block >= 0 ? block : entries.get(entries.size() - 1).startBlock();
        }

        /** The competition evaluated at {@link #effectiveBlock()}, or the one live now; empty when neither. */
        public java.util.Optional<Competition> competition(CompetitionId id) {
            return resolve(id).map(Scheduled::competition);
        }

        /**
         * The competition {@code id} as of {@link #effectiveBlock()} of this schedule, or, when it is not there, as
         * it is live now: the latest entry of finetuning HEAD's schedule (only DISTILLED_REASONING_3B since block
         * 5,158,632, reference-miner.md §4.3).
         */
        public java.util.Optional<Scheduled> resolve(CompetitionId id) {
            long block = effectiveBlock();
            java.util.Optional<Competition> here = CompetitionSchedule.named(schedule).find(id, block);
            if (here.isPresent()) return here.map(c -> new Scheduled(schedule, block, c));
            return CompetitionSchedule.liveNow(id).map(c -> new Scheduled(HEAD, CompetitionSchedule.liveNowBlock(), c));
        }

        /** The ids evaluated: those live at {@link #effectiveBlock()} and those live now, as "2 (B7_MULTI_CHOICE)". */
        public List<String> liveIds() {
            java.util.LinkedHashSet<String> ids = new java.util.LinkedHashSet<>();
            CompetitionSchedule.named(schedule).competitionsAt(effectiveBlock())
                    .forEach(c -> ids.add(c.id().id() + " (" + c.id() + ")"));
            for (CompetitionId id : CompetitionId.values()) {
                CompetitionSchedule.liveNow(id).ifPresent(c -> ids.add(c.id().id() + " (" + c.id() + ")"));
            }
            return List.copyOf(ids);
        }
    }

    /** finetuning HEAD's schedule, whose latest entry is what validators run now. */
    static final String HEAD = "later";

    /** A competition, the schedule it was taken from and the block of that schedule. */
    public record Scheduled(String schedule, long block, Competition competition) {}

    /** What the evaluation found. */
    public record Output(
            double metric,
            boolean evaluated,
            String failure,
            String modelDir,
            int competitionId,
            String schedule,
            long scheduleBlock,
            String evalDtype,
            Double deviation,
            List<TaskScore> tasks,
            LocalValidation.Result validation,
            int questions,
            int correct,
            int failedQuestions,
            double seconds,
            double questionsPerSecond,
            String resultsPath,
            String resultsSha256,
            Double incumbentMetric,
            String incumbentDir,
            String evalSnapshotPath,
            String evalSnapshotSha256) {

        Output withIncumbent(double metric, String dir) {
            return new Output(this.metric, evaluated, failure, modelDir, competitionId, schedule, scheduleBlock,
                    evalDtype, deviation, tasks, validation, questions, correct, failedQuestions, seconds,
                    questionsPerSecond, resultsPath, resultsSha256, metric, dir, evalSnapshotPath, evalSnapshotSha256);
        }
    }

    private final ModelOpener opener;
    private final ScoringSettings options;
    private final LaunchSettings torch;

    public Evaluate(StageServices services, ModelOpener opener) {
        this(services, opener, ScoringSettings.defaults());
    }

    public Evaluate(StageServices services, ModelOpener opener, ScoringSettings options) {
        this(services, opener, options, LaunchSettings.local(services.home()));
    }

    /**
     * @param services accepted like every stage's; evaluation itself reaches no remote
     * @param opener loads a model directory (the DJL adapter in production)
     * @param torch the PyTorch trainer's environment and folder, for {@code --eval_backend torch}
     */
    public Evaluate(StageServices services, ModelOpener opener, ScoringSettings options, LaunchSettings torch) {
        this.opener = opener;
        this.options = options;
        this.torch = torch;
    }

    @Override
    public String name() {
        return StageNames.EVALUATE;
    }

    @Override
    public List<String> requires(RunParams params) {
        return List.of(StageNames.TRAIN, StageNames.FETCH_DATA);
    }

    @Override
    public Output run(StageContext ctx) throws Exception {
        RunParams p = ctx.params();
        Output ours = evaluate(ctx, Path.of(textOutput(ctx, StageNames.TRAIN, "modelDir")), true);
        if (!p.gate().equals("beat-best")) return ours;
        Path incumbent = incumbentDir(ctx);
        // Same samples, same seed, same settings: the only difference between the two numbers is the model.
        Output theirs = evaluate(ctx, incumbent, false);
        return ours.withIncumbent(theirs.metric(), incumbent.toString());
    }

    /** --incumbent_dir, else the model load-model started from when it came from chain metadata (--load_best/uid). */
    static Path incumbentDir(StageContext ctx) {
        if (ctx.params().incumbentDir() != null) return Path.of(ctx.params().incumbentDir()).toAbsolutePath();
        LoadModel.Output load = ctx.output(StageNames.LOAD_MODEL, LoadModel.Output.class).orElse(null);
        if (load != null && load.source() != null && load.source().startsWith("load_")) {
            return Path.of(load.modelDir());
        }
        throw new StageException("--gate beat-best needs the incumbent model: start from --load_best or --load_uid"
                + " (the committed model is the incumbent), or give --incumbent_dir DIR");
    }

    private Output evaluate(StageContext ctx, Path modelDir, boolean writeResults) throws Exception {
        RunParams p = ctx.params();
        CompetitionId id = CompetitionId.fromId(p.competitionId());
        Scheduled scheduled = options.resolve(id).orElseThrow(() -> new StageException("competition " + id
                + " is not scheduled at block " + options.effectiveBlock() + " of schedule " + options.schedule()
                + " nor live now: pick a live --competition_id (bin/miner competitions --schedule "
                + options.schedule() + ")"));
        Competition competition = scheduled.competition();
        EvalDtype dtype = EvalDtype.parse(p.evalDtype(), id);
        Scored data = data(ctx, competition);

        long started = System.nanoTime();
        LocalValidation.Result validation = LocalValidation.validate(modelDir, competition.constraints());
        String failure = null;
        if (!validation.passed()) {
            failure = "the model fails validators' checks: " + validation.reason();
            if (!p.offline()) return notEvaluated(failure, modelDir, scheduled, dtype, validation, started, data);
            failure += " (offline: its tasks were scored anyway, to show how it does)";
        }
        ModelOpener.OpenModel open;
        try {
            open = opener.open(modelDir, p);
        } catch (Exception e) {
            return notEvaluated("the model could not be loaded: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), modelDir, scheduled, dtype, validation,
                    started, data);
        }
        ModelEvaluation.Report report;
        try (open) {
            report = ModelEvaluation.run(open.model(), losses(ctx, open, modelDir, dtype, writeResults), open.encoder(),
                    data.multipleChoice(), data.reasoning(), data.fineweb(),
                    new ModelEvaluation.Plan(competition, dtype, options.batchSize(), BigInteger.valueOf(p.seed()),
                            options.wordSortingSamples()), ctx::cancelRequested,
                    (task, done, total) -> ctx.progress().report(ProgressEvent.samples(name(),
                            writeResults ? task : task + " (incumbent)", done, total)));
        } catch (TorchEvalException e) {
            throw new StageException(e.getMessage() + " (--eval_backend torch; --eval_backend djl scores without it)",
                    e);
        }
        MultipleChoice.Result mc = report.multipleChoice();
        String resultsPath = null;
        String resultsSha = null;
        if (mc != null && writeResults) {
            Path file = ctx.workDir().resolve("eval").resolve("mc-results.jsonl");
            writeResults(mc, file);
            Artifact a = ctx.artifact(RESULTS, file);
            resultsPath = a.path().toString();
            resultsSha = a.sha256();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        int questions = mc == null ? 0 : mc.questions().size();
        double rate = mc == null || mc.seconds() <= 0 ? 0 : questions / mc.seconds();
        double score = failure == null ? report.score().score() : Double.POSITIVE_INFINITY;
        if (failure == null && !Double.isFinite(score)) failure = "no task could be scored";
        return new Output(score, failure == null, failure, modelDir.toString(), id.id(), scheduled.schedule(),
                scheduled.block(), dtype.flagValue(), mc == null ? null : mc.deviation(), report.score().tasks(),
                validation, questions, mc == null ? 0 : mc.correct(), mc == null ? 0 : mc.failed(), seconds, rate,
                resultsPath, resultsSha, null, null, data.evalPath(), data.evalSha256());
    }

    /** The loss tasks' backend: DJL on the open model, or transformers in bf16 in a child process. */
    private LossBackend losses(StageContext ctx, ModelOpener.OpenModel open, Path modelDir, EvalDtype dtype,
            boolean ours) throws IOException {
        RunParams p = ctx.params();
        if (!p.evalBackend().equals(RunParams.TORCH)) return LossBackend.djl(open.model(), dtype);
        LOG.info("--eval_backend torch: the loss tasks are computed by transformers in bf16; multiple choice"
                + " (generation) is scored by DJL");
        return new TorchLosses(new TorchLosses.Job(torch.python(), torch.trainerDir(),
                ctx.workDir().resolve("eval").resolve("torch").resolve(ours ? "model" : "incumbent"), modelDir,
                p.device() == null ? "auto" : p.device(), dtype), ctx::cancelRequested);
    }

    /**
     * What a competition is scored on: SN1 samples, held-out reasoning rows, FINEWEB texts, and the snapshot the
     * first two came from.
     */
    private record Scored(List<McSample> multipleChoice, List<ReasoningSample> reasoning, List<String> fineweb,
            String evalPath, String evalSha256) {
        Scored(List<McSample> multipleChoice, List<ReasoningSample> reasoning, String evalPath, String evalSha256) {
            this(multipleChoice, reasoning, List.of(), evalPath, evalSha256);
        }

        Scored withFineweb(List<String> texts) {
            return new Scored(multipleChoice, reasoning, texts, evalPath, evalSha256);
        }
    }

    private static Scored data(StageContext ctx, Competition competition) throws IOException {
        List<String> names = competition.tasks().stream().map(t -> t.name()).toList();
        boolean multipleChoice = names.contains(ModelEvaluation.MMLU);
        boolean reasoning = names.stream().anyMatch(n -> ReasoningTask.named(n) != null);
        boolean fineweb = names.contains(ModelEvaluation.FINEWEB);
        if (!multipleChoice && !reasoning && !fineweb) return new Scored(List.of(), List.of(), null, null);
        FetchData.Output fetched = ctx.output(StageNames.FETCH_DATA, FetchData.Output.class).orElseThrow(() ->
                new StageException("evaluate needs the fetch-data stage's outputs, and this run has none"));
        Scored scored = rows(fetched, competition, multipleChoice, reasoning);
        return fineweb ? scored.withFineweb(finewebTexts(fetched)) : scored;
    }

    /** The texts fetch-data drew for FINEWEB; none (and a warning why) when it drew none. */
    private static List<String> finewebTexts(FetchData.Output fetched) throws IOException {
        FetchData.Fineweb f = fetched.fineweb();
        if (f == null) {
            LOG.warn("this run's fetch-data recorded no FINEWEB texts (it ran before they were fetched): FINEWEB is"
                    + " skipped; fetch data again to score it");
            return List.of();
        }
        if (f.snapshotPath() == null) {
            LOG.warn("fetch-data could not draw FINEWEB's texts ({}): FINEWEB is skipped", f.failure());
            return List.of();
        }
        return FinewebSnapshot.read(Path.of(f.snapshotPath())).stream().map(FinewebText::text).toList();
    }

    private static Scored rows(FetchData.Output fetched, Competition competition, boolean multipleChoice,
            boolean reasoning) throws IOException {
        if (!multipleChoice && !reasoning) return new Scored(List.of(), List.of(), null, null);
        if (!reasoning) {
            if (fetched.reasoning()) {
                throw new StageException("competition " + competition.id() + " is scored on SN1 multiple choice,"
                        + " and this run's fetch-data wrote competition 4's reasoning rows: fetch data again with"
                        + " --data_source jsonl, wandb or hf");
            }
            if (!fetched.heldOut()) {
                // A run recorded before the split: scored on its one snapshot, as it was then.
                LOG.warn("this run's fetch-data wrote one snapshot (before the held-out split): evaluate scores the"
                        + " rows train learned from; fetch data again for a held-out evaluation split");
                return new Scored(SnapshotWriter.read(Path.of(fetched.snapshotPath())), List.of(), null, null);
            }
            return new Scored(SnapshotWriter.read(Path.of(fetched.evalSnapshotPath())), List.of(),
                    fetched.evalSnapshotPath(), fetched.evalSnapshotSha256());
        }
        if (!fetched.reasoning() || fetched.evalSnapshotPath() == null) {
            throw new StageException("competition " + competition.id() + " is scored on held-out SYNTHETIC-1 SFT and"
                    + " Codeforces CoTs rows, and this run's fetch-data wrote none: fetch data again with"
                    + " --data_source reasoning");
        }
        return new Scored(List.of(), ReasoningSnapshot.read(Path.of(fetched.evalSnapshotPath())),
                fetched.evalSnapshotPath(), fetched.evalSnapshotSha256());
    }

    private Output notEvaluated(String failure, Path modelDir, Scheduled scheduled, EvalDtype dtype,
            LocalValidation.Result validation, long started, Scored data) {
        return new Output(Double.POSITIVE_INFINITY, false, failure, modelDir.toString(),
                scheduled.competition().id().id(), scheduled.schedule(), scheduled.block(), dtype.flagValue(), null,
                List.of(), validation, 0, 0, 0, (System.nanoTime() - started) / 1e9, 0, null, null, null, null,
                data.evalPath(), data.evalSha256());
    }

    private static String textOutput(StageContext ctx, String stage, String field) {
        JsonNode out = ctx.output(stage, JsonNode.class).orElseThrow(() -> new StageException("evaluate needs the "
                + stage + " stage's outputs, and this run has none"));
        JsonNode value = out.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new StageException("the " + stage + " stage's outputs have no '" + field + "' path: " + out);
        }
        return value.asText();
    }

    private static void writeResults(MultipleChoice.Result mc, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        // Nulls stay in: "answer": null is the finding that the reply named no letter.
        ObjectWriter json = new ObjectMapper().writer();
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (MultipleChoice.Question q : mc.questions()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("index", q.index());
                row.put("id", q.id());
                row.put("reference", q.reference());
                row.put("prompt_tokens", q.promptTokens());
                row.put("generated", q.generated());
                row.put("answer", q.answer());
                row.put("correct", q.correct());
                row.put("error", q.error());
                out.write(json.writeValueAsString(row));
                out.write('\n');
            }
        }
    }
}
