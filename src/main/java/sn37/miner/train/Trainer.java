package sn37.miner.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.model.CheckpointFormatException;
import sn37.miner.model.llama.LlamaModel;
import sn37.miner.model.llama.NoGrad;
import sn37.miner.model.llama.TokenLoss;

/**
 * Fine-tunes a {@link LlamaModel} on chat examples: micro-batches with gradient accumulation,
 * global-norm clipping, AdamW with warm-up and cosine decay, a checkpoint every
 * {@code checkpointEvery} steps and on stop, and the best model (lowest epoch loss, as the
 * reference miner keeps it) handed to a {@link BestModel} whenever an epoch improves on it.
 * Started again on the same checkpoint directory it resumes from the newest complete checkpoint
 * and gives the losses an uninterrupted run gives.
 */
public final class Trainer {

    /** Receives the model whenever an epoch sets a new best loss. */
    public interface BestModel {
        void save(LlamaModel model, double loss) throws IOException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    private final LlamaModel model;
    private final List<ChatExample> examples;
    private final long padId;
    private final TrainSettings config;
    private final Path checkpoints;
    private final BestModel best;
    private final StepReport.Listener listener;

    public Trainer(LlamaModel model, List<ChatExample> examples, long padId, TrainSettings config, Path checkpoints,
            BestModel best, StepReport.Listener listener) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no training examples");
        }
        this.model = model;
        this.examples = List.copyOf(examples);
        this.padId = padId;
        this.config = config;
        this.checkpoints = checkpoints;
        this.best = best;
        this.listener = listener;
    }

    /** Trains until the epochs or steps are done or {@code stopRequested} turns true. */
    public TrainResult run(BooleanSupplier stopRequested) throws IOException {
        // All weights, or only the LoRA adapters: what trains is also what checkpoints hold.
        Map<String, NDArray> parameters = model.trainableParameters();
        try (AdamW optimizer = new AdamW(parameters, model.manager(), config.weightDecay(), config.beta1(),
                config.beta2(), config.eps())) {
            model.trainable(true);
            Start start = resume(optimizer);
            Optional<Checkpoint> resumed = start.checkpoint();
            TrainState state = resumed.map(Checkpoint::state).orElse(TrainState.start(config.seed(), fingerprint()));
            Checkpoint last = resumed.orElse(null);
            int total = totalSteps();
            LearningRateSchedule schedule = config.schedule(total);
            String stoppedBy = TrainResult.COMPLETED;
            long started = System.nanoTime();
            long tokensBefore = state.tokens();
            training:
            while (config.numEpochs() == -1 || state.epoch() < config.numEpochs()) {
                List<List<ChatExample>> batches = microBatches(state.epoch());
                while (state.microBatch() < batches.size()) {
                    if (config.maxSteps() != -1 && state.step() >= config.maxSteps()) {
                        stoppedBy = TrainResult.MAX_STEPS;
                        break training;
                    }
                    int group = Math.min(config.accumulationSteps(), batches.size() - state.microBatch());
                    double lossSum = 0;
                    long tokens = 0;
                    for (int i = 0; i < group; i++) {
                        if (stopRequested.getAsBoolean()) {
                            // Drop the half-accumulated step: the state still describes the last full one.
                            optimizer.zeroGrad();
                            stoppedBy = TrainResult.STOP_REQUESTED;
                            break training;
                        }
                        Batch batch = Batch.of(batches.get(state.microBatch() + i), padId);
                        double loss = forwardBackward(batch, group);
                        if (!Double.isFinite(loss)) {
                            throw new IllegalStateException("training diverged: the loss is " + loss + " at step "
                                    + (state.step() + 1) + "; start a new run with a lower --lr (the last good"
                                    + " checkpoint is in " + checkpoints + ")");
                        }
                        lossSum += loss;
                        tokens += batch.tokens();
                    }
                    double norm = GradientClipping.clip(parameters.values(), model.manager(), config.maxGradNorm());
                    double lr = schedule.at(state.step());
                    optimizer.step(lr);
                    optimizer.zeroGrad();
                    state = state.afterStep(group, lossSum, tokens);
                    double seconds = (System.nanoTime() - started) / 1e9;
                    listener.onStep(new StepReport(state.step(), total, state.epoch(), lossSum / group, lr, norm,
                            state.tokens(), (state.tokens() - tokensBefore) / seconds));
                    if (state.step() % config.checkpointEvery() == 0) {
                        last = Checkpoint.write(checkpoints, state, parameters, optimizer.state(), config.keepCheckpoints());
                    }
                }
                state = endEpoch(state, true);
            }
            boolean early = stoppedBy.equals(TrainResult.STOP_REQUESTED) && total > 0 && state.step() < total;
            if (!stoppedBy.equals(TrainResult.COMPLETED) && !early && state.epochMicroBatches() > 0) {
                // A stop that ends the run mid-epoch ends that epoch early; its mean loss competes for the best
                // model. A stop short of the planned steps leaves the epoch open: the resume finishes it.
                state = endEpoch(state, false);
            }
            if (last == null || !last.state().equals(state)) {
                last = Checkpoint.write(checkpoints, state, parameters, optimizer.state(), config.keepCheckpoints());
            }
            model.trainable(false);
            double seconds = (System.nanoTime() - started) / 1e9;
            long sessionTokens = state.tokens() - tokensBefore;
            return new TrainResult(state.step(), state.epochLosses(), state.stepLosses(), state.bestLoss(),
                    state.tokens(), seconds, seconds > 0 ? sessionTokens / seconds : 0, stoppedBy,
                    resumed.map(c -> c.state().step()).orElse(null), last.dir(), total, start.note());
        }
    }

    /** Forward and backward of one micro-batch on its own manager; gradients add up in the parameters. */
    private double forwardBackward(Batch batch, int groupSize) {
        // Everything the step creates lives in this scope and is freed at its end; without it
        // DJL keeps every activation alive and memory grows each step.
        try (NDManager scope = model.manager().newSubManager();
                GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray ids = scope.create(batch.ids(), new Shape(batch.batch(), batch.time()));
            NDArray loss = TokenLoss.mean(model, ids, batch.rows(), batch.targets());
            collector.backward(loss.mul(scope.full(new Shape(), 1f / groupSize)));
            return loss.getFloat(); // device→host sync
        }
    }

    private TrainState endEpoch(TrainState state, boolean nextEpoch) throws IOException {
        if (state.epochMicroBatches() == 0) {
            return state;
        }
        TrainState ended = state.endEpoch(nextEpoch);
        double loss = ended.epochLosses().get(ended.epochLosses().size() - 1);
        LOG.info("epoch {} loss {} (best {})", state.epoch(), String.format("%.6f", loss),
                String.format("%.6f", ended.bestLoss()));
        if (ended.lastEpochIsBest()) {
            best.save(model, loss);
        }
        return ended;
    }

    /** The epoch's examples in a seeded order, cut into micro-batches of batchSize (the last may be smaller). */
    List<List<ChatExample>> microBatches(int epoch) {
        int[] order = new int[examples.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(config.seed() * 1_000_003L + epoch);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        List<List<ChatExample>> batches = new ArrayList<>();
        for (int start = 0; start < order.length; start += config.batchSize()) {
            List<ChatExample> batch = new ArrayList<>();
            for (int i = start; i < Math.min(order.length, start + config.batchSize()); i++) {
                batch.add(examples.get(order[i]));
            }
            batches.add(batch);
        }
        return batches;
    }

    /** Optimizer steps of the whole run, or 0 when it trains until stopped. */
    int totalSteps() {
        int microBatches = (examples.size() + config.batchSize() - 1) / config.batchSize();
        int perEpoch = (microBatches + config.accumulationSteps() - 1) / config.accumulationSteps();
        long epochs = config.numEpochs() == -1 ? 0 : (long) config.numEpochs() * perEpoch;
        if (config.maxSteps() == -1) {
            return (int) Math.min(Integer.MAX_VALUE, epochs);
        }
        return epochs == 0 ? config.maxSteps() : (int) Math.min(epochs, config.maxSteps());
    }

    /** Where this session starts: the newest intact checkpoint, or step 0; {@code note} says which and why. */
    private record Start(Optional<Checkpoint> checkpoint, String note) {}

    /**
     * Loads the newest checkpoint that passes its checks and loads whole. A damaged one (a file missing or
     * cut short since it was written) is skipped with a warning and the next older one is tried.
     */
    private Start resume(AdamW optimizer) throws IOException {
        List<String> skipped = new ArrayList<>();
        for (Checkpoint.Found found : Checkpoint.scan(checkpoints)) {
            String name = found.dir().getFileName().toString();
            if (!found.usable()) {
                LOG.warn("checkpoint {} cannot be used: {}", found.dir(), found.problem());
                skipped.add(name + ": " + found.problem());
                continue;
            }
            Checkpoint checkpoint = found.checkpoint();
            if (!checkpoint.state().fingerprint().equals(fingerprint())) {
                throw new IllegalStateException("checkpoint " + checkpoint.dir() + " was written for another model"
                        + " architecture, data set or training configuration; start a new run (or delete "
                        + checkpoints + ") to train this one from the start");
            }
            try {
                load(checkpoint, optimizer);
            } catch (IOException e) {
                String why = e instanceof CheckpointFormatException ? e.getMessage() : "its files cannot be read ("
                        + e.getClass().getSimpleName() + ")";
                LOG.warn("checkpoint {} cannot be used: {}", checkpoint.dir(), why);
                skipped.add(name + ": " + why);
                continue;
            }
            String note = "resumed from checkpoint " + name + " (step " + checkpoint.state().step() + ")"
                    + (skipped.isEmpty() ? "" : "; skipped the newer " + String.join("; ", skipped));
            if (skipped.isEmpty()) {
                LOG.info("{} (epoch {})", note, checkpoint.state().epoch());
            } else {
                LOG.warn("fell back to the previous complete checkpoint: {}", note);
            }
            return new Start(Optional.of(checkpoint), note);
        }
        String note = skipped.isEmpty() ? "No checkpoint: starting at step 0"
                : "No usable checkpoint (" + String.join("; ", skipped) + "): starting at step 0";
        LOG.info("{} in {}", note, checkpoints);
        return new Start(Optional.empty(), note);
    }

    private void load(Checkpoint checkpoint, AdamW optimizer) throws IOException {
        try (Checkpoint.Tensors weights = checkpoint.readWeights(); NoGrad ignored = NoGrad.enter()) {
            for (Map.Entry<String, NDArray> p : model.trainableParameters().entrySet()) {
                float[] values = weights.get(p.getKey());
                if (values == null || values.length != p.getValue().size()) {
                    throw new IllegalStateException("checkpoint " + checkpoint.dir() + " lacks parameter "
                            + p.getKey() + " or has another shape for it: start a new run");
                }
                p.getValue().set(values);
            }
        }
        try (Checkpoint.Tensors state = checkpoint.readOptimizer()) {
            optimizer.load(state, checkpoint.state().step());
        }
    }

    /** What must not change between a checkpoint and its resume: the architecture, the data, the optimisation. */
    String fingerprint() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            var c = model.config();
            digest.update((c.architecture() + c.parameters() + c.rope() + c.rmsNormEps() + c.slidingWindow()
                    + model.trainableParameters().keySet() + model.lora().map(l -> l.scaling()).orElse(0f))
                    .getBytes(StandardCharsets.UTF_8));
            digest.update((config.lr() + "," + config.weightDecay() + "," + config.beta1() + "," + config.beta2() + ","
                    + config.eps() + "," + config.accumulationSteps() + "," + config.batchSize() + "," + config.seed()
                    + "," + config.maxGradNorm() + "," + config.warmupSteps() + "," + config.minLrRatio() + ","
                    + config.sequenceLength() + "," + padId).getBytes(StandardCharsets.UTF_8));
            for (ChatExample example : examples) {
                for (long id : example.ids()) {
                    digest.update(Long.toString(id).getBytes(StandardCharsets.US_ASCII));
                    digest.update((byte) ',');
                }
                digest.update(("|" + example.promptLength() + "|").getBytes(StandardCharsets.US_ASCII));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
