package sn37.miner.stage;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.competition.ModelConstraints;
import sn37.miner.data.McSample;
import sn37.miner.data.ReasoningSample;
import sn37.miner.data.ReasoningSnapshot;
import sn37.miner.data.SnapshotWriter;
import sn37.miner.launch.LaunchSettings;
import sn37.miner.model.CheckpointDir;
import sn37.miner.model.Dtype;
import sn37.miner.model.GenerationConfig;
import sn37.miner.model.llama.ComputeDevice;
import sn37.miner.model.llama.LlamaModel;
import sn37.miner.model.llama.LlamaWeights;
import sn37.miner.model.tokenizer.ChatTokenizer;
import sn37.miner.publish.TransformersFiles;
import sn37.miner.train.ChatExample;
import sn37.miner.train.Checkpoint;
import sn37.miner.train.TrainSettings;
import sn37.miner.train.TrainResult;
import sn37.miner.train.Trainer;

/**
 * Fine-tunes the load-model stage's model on the fetch-data stage's training snapshot (the training split of SN1
 * multiple choice or of competition 4's reasoning rows, never the held-out evaluation split) (all weights, or
 * LoRA adapters of {@code --lora_rank} merged into them at save) and writes the best model (lowest
 * epoch loss) as a Hugging Face directory in the competition's dtype. Stops
 * after {@code --num_epochs}, at {@code --max_steps}, or when the run is cancelled. Training
 * without a planned end ({@code --num_epochs -1}, no {@code --max_steps}) ends that way and
 * succeeds with the model so far; a run with a planned end that is stopped short writes a
 * checkpoint and ends stopped, not succeeded ({@link StageStoppedException}). Run again after a
 * failure or a stop, it continues from its newest intact checkpoint under the run's work dir.
 *
 * <p>With {@code --trainer torch} the same examples and hyper-parameters go to the PyTorch trainer, run as a job by
 * {@code --launcher} ({@link TorchTrain}); its outputs are this stage's in the same form.
 */
public final class Train implements Stage {

    private static final Logger LOG = LoggerFactory.getLogger(Train.class);
    static final String WORK = "train";

    /**
     * @param modelDir the best model, an HF directory in {@code dtype}
     * @param stoppedBy {@code completed}, {@code max_steps} or {@code stop_requested}
     * @param stepLosses mean micro-batch loss of every optimizer step
     * @param plannedSteps optimizer steps the run is to take, 0 when it trains until stopped
     * @param start the checkpoint this attempt resumed from (and any damaged newer one skipped), or
     *     "No checkpoint: starting at step 0"
     * @param trainer djl or torch (null in records written before there was a choice)
     * @param launcher where the torch trainer's job ran (local, slurm); null for djl
     * @param jobId the launcher's id of the job that produced these outputs; null for djl
     * @param worldSize training processes; gpus: GPUs they used (0 on CPU)
     * @param computeDtype the dtype the job computed in (float32, bfloat16)
     */
    public record Output(String modelDir, int steps, long tokens, int examples, List<Double> epochLosses,
            Double firstLoss, Double lastLoss, Double bestLoss, double tokensPerSecond, String device, String dtype,
            int loraRank, String stoppedBy, Integer resumedFromStep, String checkpointDir, List<Double> stepLosses,
            Integer plannedSteps, String start, String trainer, String launcher, String jobId, Integer worldSize,
            Integer gpus, String computeDtype) {}

    /** PEFT's lora_alpha as a multiple of the rank: alpha = rank makes the update scale 1. */
    static final double LORA_ALPHA_PER_RANK = 1.0;

    @SuppressWarnings("unused") // the bundled tokenizer and model configs come from the class path
    private final StageServices services;
    private final LaunchSettings launch;

    /** With the PyTorch trainer in the miner's trainer/ folder and its .venv. */
    public Train(StageServices services) {
        this(services, LaunchSettings.local(services.home()));
    }

    public Train(StageServices services, LaunchSettings launch) {
        this.services = services;
        this.launch = launch;
    }

    @Override
    public String name() {
        return StageNames.TRAIN;
    }

    @Override
    public List<String> requires(RunParams params) {
        return List.of(StageNames.LOAD_MODEL, StageNames.FETCH_DATA);
    }

    @Override
    public Output run(StageContext ctx) throws Exception {
        RunParams p = ctx.params();
        LoadModel.Output start = ctx.output(StageNames.LOAD_MODEL, LoadModel.Output.class).orElseThrow(() ->
                new StageException("train needs the outputs of load-model"));
        FetchData.Output data = ctx.output(StageNames.FETCH_DATA, FetchData.Output.class).orElseThrow(() ->
                new StageException("train needs the outputs of fetch-data"));
        Path modelDir = Path.of(start.modelDir());
        Path snapshot = Path.of(data.snapshotPath());
        List<McSample> samples = data.reasoning() ? List.of() : SnapshotWriter.read(snapshot);
        List<ReasoningSample> reasoning = data.reasoning() ? ReasoningSnapshot.read(snapshot) : List.of();
        if (samples.isEmpty() && reasoning.isEmpty()) {
            throw new StageException("the training snapshot " + snapshot + " has no samples to train on: fetch data"
                    + " again with a source that has some");
        }
        boolean torch = p.trainer().equals(RunParams.TORCH);
        ModelConstraints constraints = LoadModel.constraints(p.competitionId());
        Device device = torch ? null : ComputeDevice.of(p.device());
        Dtype dtype = dtype(p.dtype());
        Path tokenizerDir = start.tokenizerDir() == null ? null : Path.of(start.tokenizerDir());
        Path work = ctx.workDir().resolve(WORK);
        Path best = work.resolve("best-model").toAbsolutePath();
        TrainSettings config = TrainSettings.of(p.lr(), p.accumulationSteps(), p.batchSize(), p.numEpochs(), p.maxSteps(),
                p.checkpointEvery(), p.seed(), constraints.sequenceLength());
        List<ChatExample> examples = new ArrayList<>();
        long eos;
        try (ChatTokenizer tokenizer = tokenizerDir == null ? ChatTokenizer.bundled() : ChatTokenizer.fromDir(tokenizerDir)) {
            for (McSample sample : samples) {
                examples.add(ChatExample.of(sample, tokenizer, constraints.sequenceLength()));
            }
            int tooLong = 0;
            for (ReasoningSample row : reasoning) {
                ChatExample example = ChatExample.of(row, tokenizer, constraints.sequenceLength());
                if (example == null) tooLong++;
                else examples.add(example);
            }
            if (tooLong > 0) {
                LOG.warn("{} of {} training rows have a reference longer than the sequence length {} and are left out",
                        tooLong, reasoning.size(), constraints.sequenceLength());
            }
            if (examples.isEmpty()) {
                throw new StageException("no training row of " + snapshot + " fits the sequence length "
                        + constraints.sequenceLength() + ": fetch data again (another --seed)");
            }
            eos = tokenizer.eosTokenId();
            LOG.info("training {} on {} ({} examples, tokenizer {}) {}", modelDir, snapshot,
                    examples.size(), tokenizer.source(), torch ? "with the PyTorch trainer (" + p.launcher() + ")"
                            : "on " + device);
        }
        if (torch) {
            return new TorchTrain(launch).run(ctx, new TorchTrain.Job(modelDir, tokenizerDir, examples, eos, config,
                    dtype, work, best));
        }
        GenerationConfig generation = generationConfig(modelDir);
        try (LlamaModel model = LlamaWeights.load(modelDir, device)) {
            if (p.loraRank() > 0) {
                model.addLora(p.loraRank(), LORA_ALPHA_PER_RANK * p.loraRank(), p.seed());
            }
            Trainer.BestModel saveBest = (m, loss) -> {
                LlamaWeights.save(m, best, dtype, generation);
                if (tokenizerDir != null) {
                    copyTokenizer(tokenizerDir, best);
                }
                LOG.info("best model so far (epoch loss {}) saved to {}", String.format("%.6f", loss), best);
            };
            TrainResult result = new Trainer(model, examples, eos, config, work.resolve("checkpoints"),
                    saveBest, r -> {
                        LOG.info("train step {}{} epoch {} loss {} lr {} grad-norm {} tokens {} ({} tok/s)",
                                r.step(), r.totalSteps() > 0 ? "/" + r.totalSteps() : "", r.epoch(),
                                String.format("%.4f", r.loss()), String.format("%.3g", r.lr()),
                                String.format("%.3f", r.gradNorm()), r.tokens(), String.format("%.0f", r.tokensPerSecond()));
                        ctx.progress().report(ProgressEvent.step(name(), r.step(), r.totalSteps(), r.epoch(), r.loss(),
                                r.lr(), r.gradNorm(), r.tokensPerSecond()));
                        ctx.metrics().trainStep(ctx.runId(), RunParams.DJL, r.step(), r.loss(), r.tokensPerSecond(),
                                r.tokens());
                    })
                    .run(ctx::cancelRequested);
            if (result.stoppedEarly()) {
                Output stopped = djlOutput(Files.isRegularFile(best.resolve(CheckpointDir.CONFIG)) ? best.toString()
                        : null, result, examples.size(), device, p);
                throw new StageStoppedException("stopped at step " + result.steps() + " of " + result.plannedSteps()
                        + "; checkpoint " + result.lastCheckpoint().getFileName() + " kept: a resume continues"
                        + " training from it", stopped);
            }
            if (!Files.isRegularFile(best.resolve(CheckpointDir.CONFIG))) {
                // Only when the best model written earlier was removed since: the last weights stand in.
                LOG.warn("{} is missing: saving the last weights in its place", best);
                saveBest.save(model, result.bestLoss() == null ? Double.NaN : result.bestLoss());
            }
            registerArtifacts(ctx, best, result.lastCheckpoint());
            return djlOutput(best.toString(), result, examples.size(), device, p);
        }
    }

    private static Output djlOutput(String modelDir, TrainResult result, int examples, Device device, RunParams p) {
        List<Double> losses = result.stepLosses();
        return new Output(modelDir, result.steps(), result.tokens(), examples, result.epochLosses(),
                losses.isEmpty() ? null : losses.get(0), losses.isEmpty() ? null : losses.get(losses.size() - 1),
                result.bestLoss(), result.tokensPerSecond(), device.toString(), p.dtype(), p.loraRank(),
                result.stoppedBy(), result.resumedFromStep(), result.lastCheckpoint().toString(), losses,
                result.plannedSteps(), result.start(), RunParams.DJL, null, null, 1, device.isGpu() ? 1 : 0,
                "float32");
    }

    static Dtype dtype(String name) {
        return switch (name) {
            case "float32" -> Dtype.F32;
            case "float16" -> Dtype.F16;
            default -> Dtype.BF16;
        };
    }

    private static GenerationConfig generationConfig(Path modelDir) throws IOException {
        Path file = modelDir.resolve(CheckpointDir.GENERATION_CONFIG);
        return Files.isRegularFile(file) ? GenerationConfig.read(file) : null;
    }

    static void copyTokenizer(Path from, Path to) throws IOException {
        for (String name : TransformersFiles.TOKENIZER) {
            Path file = from.resolve(name);
            if (Files.isRegularFile(file)) {
                Files.copy(file, to.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** The best model's files and the last checkpoint's state: a resumed run retrains only if they change. */
    static void registerArtifacts(StageContext ctx, Path best, Path checkpoint) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(best)) {
            for (Path file : files) {
                ctx.artifact("best-model/" + file.getFileName(), file);
            }
        }
        ctx.artifact("checkpoint/" + Checkpoint.STATE, checkpoint.resolve(Checkpoint.STATE));
    }
}
