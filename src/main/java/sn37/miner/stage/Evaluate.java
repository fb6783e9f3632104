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
import sn37.miner.data.McSample;
import sn37.miner.data.SnapshotWriter;
import sn37.miner.eval.EvalDtype;
import sn37.miner.eval.ModelEvaluation;
import sn37.miner.eval.ModelOpener;
import sn37.miner.eval.MultipleChoice;
import sn37.miner.eval.TaskScore;
import sn37.miner.eval.validation.LocalValidation;

/**
 * Scores the trained model as the competition's validators would: first their model checks
 * ({@link LocalValidation}; a model that fails them scores +∞ with the reason, and the gate rejects it), then the
 * competition's tasks on the run's SN1 snapshot ({@link ModelEvaluation}). Writes every multiple-choice question's
 * outcome to {@code eval/mc-results.jsonl}; {@code metric} is the composite score, lower is better, +∞ when the
 * model could not be evaluated.
 */
public final class Evaluate implements Stage {

    public static final String RESULTS = "eval-results";

    /**
     * Which tasks apply: the competition in force at {@code block} of the named schedule (a negative block means
     * the schedule's latest entry), questions per generation batch, and how many word-sorting samples to make.
     */
    public record Options(String schedule, long block, int batchSize, int wordSortingSamples) {
        public Options {
            CompetitionSchedule.named(schedule);
            if (batchSize < 1) throw new IllegalArgumentException("eval batch size must be >= 1, got " + batchSize);
            if (wordSortingSamples < 1) {
                throw new IllegalArgumentException("word-sorting samples must be >= 1, got " + wordSortingSamples);
            }
        }

        /** The Oct 2024 schedule's latest entry (MMLU 0.90, WORD_SORTING 0.05, FINEWEB 0.05), batches of 8. */
        public static Options defaults() {
            return new Options("oct2024", -1, 8, 400);
        }

        /** The block whose schedule entry applies: {@code block}, or the start of the schedule's latest entry. */
        public long effectiveBlock() {
            List<CompetitionSchedule.Entry> entries = CompetitionSchedule.named(schedule).entries();
            return block >= 0 ? block : entries.get(entries.size() - 1).startBlock();
        }

        /** The competition evaluated at {@link #effectiveBlock()}; empty when it is not live there. */
        public java.util.Optional<Competition> competition(CompetitionId id) {
            return CompetitionSchedule.named(schedule).find(id, effectiveBlock());
        }

        /** The ids live at {@link #effectiveBlock()}, as "2 (B7_MULTI_CHOICE)". */
        public List<String> liveIds() {
            return CompetitionSchedule.named(schedule).competitionsAt(effectiveBlock()).stream()
                    .map(c -> c.id().id() + " (" + c.id() + ")").toList();
        }
    }

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
            String incumbentDir) {

        Output withIncumbent(double metric, String dir) {
            return new Output(this.metric, evaluated, failure, modelDir, competitionId, schedule, scheduleBlock,
                    evalDtype, deviation, tasks, validation, questions, correct, failedQuestions, seconds,
                    questionsPerSecond, resultsPath, resultsSha256, metric, dir);
        }
    }

    private final ModelOpener opener;
    private final Options options;

    public Evaluate(StageServices services, ModelOpener opener) {
        this(services, opener, Options.defaults());
    }

    /**
     * @param services accepted like every stage's; evaluation itself reaches no remote
     * @param opener loads a model directory (the DJL adapter in production)
     */
    public Evaluate(StageServices services, ModelOpener opener, Options options) {
        this.opener = opener;
        this.options = options;
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
        com.fasterxml.jackson.databind.JsonNode load = ctx.output(StageNames.LOAD_MODEL,
                com.fasterxml.jackson.databind.JsonNode.class).orElse(null);
        if (load != null && load.path("source").asText().startsWith("load_")) {
            return Path.of(load.path("modelDir").asText());
        }
        throw new StageException("--gate beat-best needs the incumbent model: start from --load_best or --load_uid"
                + " (the committed model is the incumbent), or give --incumbent_dir DIR");
    }

    private Output evaluate(StageContext ctx, Path modelDir, boolean writeResults) throws Exception {
        RunParams p = ctx.params();
        Path snapshot = Path.of(textOutput(ctx, StageNames.FETCH_DATA, "snapshotPath"));
        CompetitionSchedule schedule = CompetitionSchedule.named(options.schedule());
        long block = options.effectiveBlock();
        CompetitionId id = CompetitionId.fromId(p.competitionId());
        Competition competition = options.competition(id).orElseThrow(() -> new StageException("competition " + id
                + " is not scheduled at block " + block + " of schedule " + schedule.name()
                + ": pick a live --competition_id (bin/miner competitions --schedule " + schedule.name() + ")"));
        EvalDtype dtype = EvalDtype.parse(p.evalDtype(), id);
        List<McSample> samples = SnapshotWriter.read(snapshot);

        long started = System.nanoTime();
        LocalValidation.Result validation = LocalValidation.validate(modelDir, competition.constraints());
        if (!validation.passed()) {
            return notEvaluated("the model fails validators' checks: " + validation.reason(), modelDir, id, block,
                    dtype, validation, started);
        }
        ModelOpener.OpenModel open;
        try {
            open = opener.open(modelDir, p);
        } catch (Exception e) {
            return notEvaluated("the model could not be loaded: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), modelDir, id, block, dtype, validation,
                    started);
        }
        ModelEvaluation.Report report;
        try (open) {
            report = ModelEvaluation.run(open.model(), open.encoder(), samples, new ModelEvaluation.Plan(competition,
                    dtype, options.batchSize(), BigInteger.valueOf(p.seed()), options.wordSortingSamples()),
                    ctx::cancelRequested, (task, done, total) -> ctx.progress().report(ProgressEvent.samples(name(),
                            writeResults ? task : task + " (incumbent)", done, total)));
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
        double score = report.score().score();
        return new Output(score, Double.isFinite(score), Double.isFinite(score) ? null : "no task could be scored",
                modelDir.toString(), id.id(), schedule.name(), block, dtype.flagValue(),
                mc == null ? null : mc.deviation(), report.score().tasks(), validation, questions,
                mc == null ? 0 : mc.correct(), mc == null ? 0 : mc.failed(), seconds, rate, resultsPath, resultsSha,
                null, null);
    }

    private Output notEvaluated(String failure, Path modelDir, CompetitionId id, long block, EvalDtype dtype,
            LocalValidation.Result validation, long started) {
        return new Output(Double.POSITIVE_INFINITY, false, failure, modelDir.toString(), id.id(), options.schedule(),
                block, dtype.flagValue(), null, List.of(), validation, 0, 0, 0, (System.nanoTime() - started) / 1e9, 0,
                null, null, null, null);
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
