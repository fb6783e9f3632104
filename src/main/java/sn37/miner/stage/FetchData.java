package sn37.miner.stage;

import java.nio.file.Path;
import sn37.miner.chain.ChainException;
import sn37.miner.chain.ChainSettings;
import sn37.miner.chain.SubtensorClient;
import sn37.miner.chain.commitment.Metagraph;
import sn37.miner.chain.commitment.Neuron;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sn37.miner.competition.CompetitionId;
import sn37.miner.data.DataSourceException;
import sn37.miner.data.FinewebLoad;
import sn37.miner.data.FinewebSampleSource;
import sn37.miner.data.FinewebSnapshot;
import sn37.miner.data.HfSourceSettings;
import sn37.miner.data.JsonlSampleSource;
import sn37.miner.data.McSplit;
import sn37.miner.data.ReasoningLoad;
import sn37.miner.data.ReasoningSnapshot;
import sn37.miner.data.ReasoningSources;
import sn37.miner.data.SampleLoad;
import sn37.miner.data.SampleSource;
import sn37.miner.data.Sn1DataSettings;
import sn37.miner.data.Sn1Sources;
import sn37.miner.data.Snapshot;
import sn37.miner.data.SnapshotWriter;
import sn37.miner.eval.ModelEvaluation;

/**
 * Loads SN1 multiple-choice samples from the source {@code --data_source} names (jsonl, wandb or hf), keeps the ones
 * that pass validation, and splits them ({@link McSplit}) into a held-out evaluation snapshot
 * ({@code data/sn1-eval.jsonl}, what evaluate scores) and a training snapshot ({@code data/sn1-train.jsonl}, what
 * train reads), disjoint by the hash of the question: the evaluation split takes as many questions as a validator
 * scores from that source (400 from W&B, 700 from the HF dataset), at most half of the distinct questions, so a small
 * sample still trains. Later stages and resumed runs never fetch again. {@code --offline} allows only the local JSONL
 * source and fails before any connection otherwise. One {@code --seed} and the same remote data give the same
 * snapshot bytes.
 *
 * <p>For competition 4 ({@code --data_source reasoning}) it writes two snapshots of SYNTHETIC-1 SFT and Codeforces
 * CoTs rows: the evaluation split ({@code data/reasoning-eval.jsonl}, what evaluate scores, sized as validators
 * sample) and the training split ({@code data/reasoning-train.jsonl}, {@code snapshotPath}), disjoint by content
 * hash. Online the rows come through the dataset viewer, its pages cached under {@code data/pages} so a rerun
 * resumes; offline from the bundled sample.
 *
 * <p>When the competition evaluate scores has a FINEWEB task, it also draws that task's fineweb-edu texts as validators
 * do ({@link FinewebSampleSource}: 4 pages of 100 rows) into {@code data/fineweb-eval.jsonl}, for evaluation only,
 * through the dataset viewer (pages cached under {@code data/pages}) or, offline, from the bundled sample. When the
 * viewer cannot give them, the reason is recorded and evaluate scores FINEWEB as skipped, as validators skip a task
 * whose data fails to load.
 */
public final class FetchData implements Stage {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FetchData.class);
    public static final String SN1_TRAIN = "sn1-train";
    public static final String SN1_EVAL = "sn1-eval";

    public static final String REASONING_TRAIN = "reasoning-train";
    public static final String REASONING_EVAL = "reasoning-eval";
    public static final String FINEWEB_EVAL = "fineweb-eval";
    /** {@link Output#format()} of the SN1 multiple-choice snapshot (null in records written before there was one). */
    public static final String MULTIPLE_CHOICE = "sn1-mc";

    /**
     * What was loaded and where it came from. {@code snapshot*} is what train reads; {@code evalSnapshot*} what
     * evaluate scores. A record written before the SN1 data was split has one SN1 snapshot and a null
     * {@code evalSnapshotPath}: both stages read that one, as they did then ({@link #heldOut()} is false).
     *
     * @param format {@value #MULTIPLE_CHOICE} or {@code reasoning}
     * @param kept rows written to the training snapshot
     * @param evalByTask evaluation rows per task; trainByTask: training rows per task (SN1 data: under
     *     {@code SYNTHETIC_MMLU}; null in records written before the split)
     * @param fineweb the FINEWEB texts; null when the competition has no FINEWEB task (or in records written before
     *     they were fetched)
     */
    public record Output(
            String source,
            Map<String, Object> provenance,
            int rowsRead,
            int kept,
            Map<String, Integer> droppedByReason,
            List<String> examples,
            String snapshotPath,
            long snapshotBytes,
            String snapshotSha256,
            String format,
            String evalSnapshotPath,
            Long evalSnapshotBytes,
            String evalSnapshotSha256,
            Map<String, Integer> evalByTask,
            Map<String, Integer> trainByTask,
            Fineweb fineweb) {

        public boolean reasoning() {
            return RunParams.REASONING.equals(format);
        }

        /** True when evaluate has a snapshot of its own, disjoint from the training one. */
        public boolean heldOut() {
            return evalSnapshotPath != null;
        }

        /** The snapshot evaluate scores: the held-out one, or in an older record the only one. */
        public String scoredSnapshotPath() {
            return heldOut() ? evalSnapshotPath : snapshotPath;
        }
    }

    /**
     * The FINEWEB texts drawn for evaluate: the snapshot, or, when none could be drawn, the reason ({@code failure})
     * and null snapshot fields.
     *
     * @param texts texts written; rowsRead: rows read, each kept or counted in {@code droppedByReason}
     */
    public record Fineweb(String source, String failure, String snapshotPath, Long snapshotBytes,
            String snapshotSha256, int texts, int rowsRead, Map<String, Integer> droppedByReason,
            List<String> examples, Map<String, Object> provenance) {

        static Fineweb notFetched(String source, String failure) {
            return new Fineweb(source, failure, null, null, null, 0, 0, Map.of(), List.of(), Map.of());
        }
    }

    /** SN1's netuid: the subnet whose validators sign the multiple-choice data. */
    static final int SN1_NETUID = 1;

    /** finetuning HEAD constants SAMPLE_VALI_MIN_STAKE (it was 100,000 in Oct 2024). */
    static final double DEFAULT_MIN_VALIDATOR_STAKE = 10_000;

    private final double minValidatorStake;
    private final StageServices services;
    private final Sn1DataSettings settings;
    private final Sn1Sources remote;
    private final ChainSettings chainSettings;

    public FetchData(StageServices services) {
        this(services, Sn1DataSettings.defaults());
    }

    public FetchData(StageServices services, Sn1DataSettings settings) {
        this(services, settings, DEFAULT_MIN_VALIDATOR_STAKE);
    }

    public FetchData(StageServices services, Sn1DataSettings settings, double minValidatorStake) {
        this(services, settings, minValidatorStake, ChainSettings.defaults());
    }

    /** @param chainSettings timeouts of the SN1 validator lookup on chain */
    FetchData(StageServices services, Sn1DataSettings settings, double minValidatorStake, ChainSettings chainSettings) {
        this.minValidatorStake = minValidatorStake;
        this.services = services;
        this.settings = settings;
        this.remote = new Sn1Sources(settings);
        this.chainSettings = chainSettings;
    }

    @Override
    public String name() {
        return StageNames.FETCH_DATA;
    }

    @Override
    public Output run(StageContext ctx) throws Exception {
        if (ctx.params().dataSource().equals(RunParams.REASONING)) {
            return reasoning(ctx);
        }
        RunParams p = ctx.params();
        SampleSource source = source(p);
        SampleLoad load = source.load(ctx::cancelRequested);
        McSplit split = McSplit.of(load.samples(), p.seed(), source.validatorSamples());
        Path data = ctx.workDir().resolve("data");
        Snapshot eval = SnapshotWriter.write(split.eval(), data.resolve(SN1_EVAL + ".jsonl"));
        Snapshot train = SnapshotWriter.write(split.train(), data.resolve(SN1_TRAIN + ".jsonl"));
        Artifact e = ctx.artifact(SN1_EVAL, eval.path());
        Artifact t = ctx.artifact(SN1_TRAIN, train.path());
        Map<String, Object> provenance = new LinkedHashMap<>(load.provenance());
        Map<String, Object> heldOut = new LinkedHashMap<>();
        heldOut.put("rule", "min(validator samples, distinct questions / 2), ranked by sha256(seed, question hash)");
        heldOut.put("validatorSamples", source.validatorSamples());
        heldOut.put("seed", p.seed());
        heldOut.put("repeatsOfHeldOutDropped", split.repeatsDropped());
        provenance.put("heldOut", heldOut);
        return new Output(source.describe(), provenance, load.rowsRead(), split.train().size(),
                load.droppedByReason(), load.examples(), t.path().toString(), t.sizeBytes(), t.sha256(),
                MULTIPLE_CHOICE, e.path().toString(), e.sizeBytes(), e.sha256(),
                Map.of(ModelEvaluation.MMLU, split.eval().size()), Map.of(ModelEvaluation.MMLU, split.train().size()),
                fineweb(ctx, data));
    }

    private Output reasoning(StageContext ctx) throws Exception {
        RunParams p = ctx.params();
        if (p.dataPath() != null) {
            throw new StageException("--data_path is for --data_source jsonl only; --data_source reasoning reads the"
                    + " dataset viewer, or the bundled sample offline (drop --data_path)");
        }
        Path data = ctx.workDir().resolve("data");
        int trainRows = p.dataLimit() != null ? p.dataLimit() : settings.reasoningTrainRows();
        ReasoningSources sources;
        if (p.offline()) {
            sources = ReasoningSources.bundled(p.seed(), trainRows);
        } else {
            sources = ReasoningSources.viewer(settings.http(), settings.datasetViewerUrl(), services.secrets().hfToken(),
                    HfSourceSettings.defaults().attempts(), settings.sleeper(), data.resolve("pages"), p.seed(),
                    trainRows);
        }
        ReasoningLoad load = sources.load(ctx::cancelRequested);
        Snapshot eval = ReasoningSnapshot.write(load.eval(), data.resolve(REASONING_EVAL + ".jsonl"));
        Snapshot train = ReasoningSnapshot.write(load.train(), data.resolve(REASONING_TRAIN + ".jsonl"));
        Artifact e = ctx.artifact(REASONING_EVAL, eval.path());
        Artifact t = ctx.artifact(REASONING_TRAIN, train.path());
        return new Output(sources.describe(), load.provenance(), load.rowsRead(), load.train().size(),
                load.droppedByReason(), load.examples(), t.path().toString(), t.sizeBytes(), t.sha256(),
                RunParams.REASONING, e.path().toString(), e.sizeBytes(), e.sha256(), load.evalByTask(),
                load.trainByTask(), fineweb(ctx, data));
    }

    /** FINEWEB's texts when the competition evaluate scores has that task, else null. */
    private Fineweb fineweb(StageContext ctx, Path data) throws IOException {
        RunParams p = ctx.params();
        boolean scored = Evaluate.ScoringSettings.defaults().competition(CompetitionId.fromId(p.competitionId()))
                .map(c -> c.tasks().stream().anyMatch(t -> t.name().equals(ModelEvaluation.FINEWEB))).orElse(false);
        if (!scored) {
            return null;
        }
        FinewebSampleSource source;
        if (p.offline()) {
            source = FinewebSampleSource.bundled(p.seed());
        } else {
            source = FinewebSampleSource.viewer(settings.http(), settings.datasetViewerUrl(),
                    services.secrets().hfToken(), HfSourceSettings.defaults().attempts(), settings.sleeper(),
                    data.resolve("pages"), p.seed());
        }
        FinewebLoad load;
        try {
            load = source.load(ctx::cancelRequested);
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException | DataSourceException e) {
            if (p.offline()) {
                throw e;
            }
            LOG.warn("FINEWEB's texts could not be drawn ({}); evaluate will score FINEWEB as skipped",
                    e.getMessage());
            return Fineweb.notFetched(source.describe(), e.getMessage());
        }
        Snapshot s = FinewebSnapshot.write(load.texts(), data.resolve(FINEWEB_EVAL + ".jsonl"));
        Artifact a = ctx.artifact(FINEWEB_EVAL, s.path());
        return new Fineweb(source.describe(), null, a.path().toString(), a.sizeBytes(), a.sha256(),
                load.texts().size(), load.rowsRead(), load.droppedByReason(), load.examples(), load.provenance());
    }

    /** The source the parameters name; remote ones are checked (offline, key, validators) before any connection. */
    SampleSource source(RunParams p) {
        String kind = p.dataSource();
        if (kind.equals("jsonl")) {
            JsonlSampleSource src = p.dataPath() == null
                    ? JsonlSampleSource.bundled()
                    : JsonlSampleSource.of(Path.of(p.dataPath()));
            return p.dataLimit() == null ? src : src.withLimit(p.dataLimit());
        }
        if (p.offline()) {
            throw new StageException("--offline never touches the network, but --data_source " + kind + " reads SN1"
                    + " data from " + (kind.equals("wandb") ? "W&B" : "the Hugging Face dataset viewer")
                    + ": use --data_source jsonl (with --data_path FILE.jsonl, or none for the bundled sample),"
                    + " or drop --offline");
        }
        if (p.dataPath() != null) {
            throw new StageException("--data_path is for --data_source jsonl only; --data_source " + kind
                    + " reads remote data (drop --data_path, or use --data_source jsonl)");
        }
        Sn1Sources remote = this.remote;
        if (settings.validatorHotkeys().isEmpty() && !p.allowUnverifiedData()) {
            remote = new Sn1Sources(settings.withValidators(sn1Validators(p)));
        }
        if (kind.equals("wandb")) {
            return remote.wandb(services.endpoints().wandb(), services.secrets().wandbDataKey(), p.seed(),
                    p.dataLimit(), p.allowUnverifiedData(), services.clock());
        }
        if (kind.equals("hf")) {
            return remote.hf(services.secrets().hfToken(), p.seed(), p.dataLimit(), p.allowUnverifiedData());
        }
        throw new StageException("unknown --data_source '" + kind + "': expected jsonl, wandb, hf or reasoning");
    }

    /**
     * With no configured allow-list, the SN1 validators are read from the chain as the reference does: uids of
     * netuid 1 with a validator permit and at least {@code miner.data.sn1-min-stake} stake.
     */
    List<String> sn1Validators(RunParams p) {
        String endpoint = services.endpoints().subtensor(p.subtensorNetwork(), p.subtensorChainEndpoint());
        try (SubtensorClient chain = SubtensorClient.connect(endpoint, chainSettings)) {
            List<String> hotkeys = new Metagraph(chain).validators(SN1_NETUID, minValidatorStake,
                    chain.bestBlock()).stream().map(Neuron::hotkey).toList();
            if (hotkeys.isEmpty()) {
                throw new StageException("no SN1 validator on " + endpoint + " has a validator permit and "
                        + minValidatorStake + " stake: set miner.data.sn1-validators, or lower"
                        + " miner.data.sn1-min-stake");
            }
            return hotkeys;
        } catch (ChainException e) {
            throw new StageException("cannot read SN1's validators from " + endpoint + " (" + e.getMessage()
                    + "): set miner.data.sn1-validators to trust a list of hotkeys instead", e);
        }
    }
}
