package sn37.miner.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.util.Json;
import sn37.miner.launch.JobHandle;
import sn37.miner.launch.JobRequest;
import sn37.miner.launch.JobState;
import sn37.miner.launch.LaunchException;
import sn37.miner.launch.LaunchSettings;
import sn37.miner.launch.Launchers;
import sn37.miner.launch.TrainingLauncher;
import sn37.miner.model.CheckpointDir;
import sn37.miner.model.Dtype;
import sn37.miner.run.EffectStatus;
import sn37.miner.run.ExternalEffect;
import sn37.miner.train.ChatExample;
import sn37.miner.train.TrainSettings;
import sn37.miner.train.torch.FinalModel;
import sn37.miner.train.torch.JobDir;
import sn37.miner.train.torch.JobSpec;
import sn37.miner.train.torch.ProgressTail;
import sn37.miner.train.torch.TorchResult;

/**
 * The train stage with {@code --trainer torch}: the examples and hyper-parameters go to the PyTorch trainer as a
 * job ({@link JobSpec}), which {@code --launcher} starts; its step reports become the stage's progress and its
 * final weights the same best-model directory the DJL trainer writes.
 *
 * <p>The job outlives the orchestrator. Each submission is an external effect of the stage (intended before,
 * confirmed with the launcher's handle after), so a resumed run first looks at the job the last attempt started:
 * still running, it re-attaches; ended with a complete result, it uses that; otherwise it submits a new job into
 * the same job directory, which resumes from the last checkpoint there.
 */
final class TorchTrain {
    private static final Logger LOG = LoggerFactory.getLogger(TorchTrain.class);
    static final String EFFECT = "train-job:";
    /** What this stage needs of a job's work: the job directory of the run when no job root is configured. */
    static final String JOB_DIR = "job";

    /**
     * What the stage hands over: the same examples, pad id and configuration the DJL trainer would get.
     *
     * @param best where the best model's HF directory goes
     */
    record Job(Path startModel, Path tokenizerDir, List<ChatExample> examples, long padId, TrainSettings config,
            Dtype dtype, Path work, Path best) {}

    /**
     * A job to watch: the launcher's handle and where its progress events begin.
     *
     * @param ended how it ended, when it ended complete before this attempt looked; null while it runs
     */
    private record Watched(JobHandle handle, long progressOffset, JobState ended) {}

    private final LaunchSettings settings;
    private final Duration poll;
    /** After the stop file is written: how long the trainer gets to reach a micro-batch boundary and checkpoint. */
    private final Duration stopGrace;
    /** After the launcher's cancel (SIGTERM): how long before the stage stops waiting for the job. */
    private final Duration cancelWait;

    TorchTrain(LaunchSettings settings) {
        this(settings, Duration.ofMillis(500), Duration.ofMinutes(10), Duration.ofMinutes(2));
    }

    TorchTrain(LaunchSettings settings, Duration poll, Duration stopGrace, Duration cancelWait) {
        this.settings = settings;
        this.poll = poll;
        this.stopGrace = stopGrace;
        this.cancelWait = cancelWait;
    }

    Train.Output run(StageContext ctx, Job in) throws Exception {
        RunParams p = ctx.params();
        JobDir dir = new JobDir(jobDir(ctx));
        Files.createDirectories(dir.dir());
        LaunchSettings launch = p.slurmPartition() == null ? settings : settings.withPartition(p.slurmPartition());
        TrainingLauncher launcher = Launchers.forName(p.launcher(), launch, dir.dir());
        // This machine starts local jobs, so it can check their environment; cluster nodes see their own paths.
        if (launcher.name().equals(Launchers.LOCAL)) requireTrainer(launch);
        Watched job = earlierJob(ctx, launcher, dir).orElse(null);
        if (job == null) job = submit(ctx, launcher, launch, dir, in);
        TorchProgress progress = new TorchProgress(ctx, dir, job.progressOffset());
        JobState end = job.ended();
        if (end == null) {
            end = watch(ctx, launcher, job.handle(), dir, progress);
        } else {
            progress.read();
        }
        return finish(ctx, in, dir, launcher, job.handle(), end, progress);
    }

    /** {@code <train.job-root>/<run id>}, or the run's work dir: one per run, so a new job finds the checkpoints. */
    private Path jobDir(StageContext ctx) throws IOException {
        return settings.jobRoot().map(r -> r.resolve(ctx.runId()))
                .orElse(ctx.workDir().resolve(Train.WORK).resolve(JOB_DIR)).toAbsolutePath();
    }

    /**
     * The job the newest earlier submission of this stage started, when it is still running or ended with a
     * complete result; empty when a new job is needed. An intended submission without a confirmation is looked up
     * by name first: the orchestrator may have died between the launcher's answer and the record.
     */
    private Optional<Watched> earlierJob(StageContext ctx, TrainingLauncher launcher, JobDir dir) throws IOException {
        Optional<ExternalEffect> last = ctx.effects().ofStage().stream()
                .filter(e -> e.effectKey().startsWith(EFFECT)).reduce((a, b) -> b);
        if (last.isEmpty()) return Optional.empty();
        ExternalEffect effect = last.get();
        JsonNode request = Json.mapper().readTree(effect.requestJson());
        Optional<JobHandle> handle = Optional.empty();
        if (effect.status() == EffectStatus.CONFIRMED) {
            handle = Optional.of(Json.mapper().readValue(effect.responseJson(), JobHandle.class));
        } else if (effect.status() == EffectStatus.INTENDED) {
            handle = launcher.find(request.path("name").asText());
            if (handle.isPresent()) {
                ctx.effects().confirm(effect.effectKey(), Json.mapper().writeValueAsString(handle.get()));
            } else {
                ctx.effects().markAbsent(effect.effectKey());
            }
        }
        if (handle.isEmpty() || !handle.get().launcher().equals(launcher.name())) return Optional.empty();
        long offset = request.path("progressOffset").asLong(0);
        JobState state;
        try {
            state = launcher.state(handle.get());
        } catch (LaunchException e) {
            if (!e.jobGone()) throw e;
            // The orchestrator was away longer than the launcher remembers ended jobs: the job directory tells how.
            state = new JobState(JobState.Phase.FAILED, null, e.getMessage());
        }
        if (!state.phase().ended()) {
            LOG.info("re-attaching to training job {} ({} id {}), still {}", handle.get().name(), launcher.name(),
                    handle.get().id(), state.phase());
            return Optional.of(new Watched(handle.get(), offset, null));
        }
        if (complete(dir)) {
            LOG.info("training job {} ended while no one watched it; its result is complete", handle.get().name());
            return Optional.of(new Watched(handle.get(), offset, new JobState(JobState.Phase.SUCCEEDED, null, null)));
        }
        LOG.info("training job {} ended without finishing ({}): a new job continues from its last checkpoint",
                handle.get().name(), state.reason() != null ? state.reason() : state.phase());
        return Optional.empty();
    }

    private static boolean complete(JobDir dir) {
        try {
            return Files.isRegularFile(dir.result()) && !TorchResult.read(dir.result()).stoppedEarly()
                    && Files.isRegularFile(dir.finalModel());
        } catch (IOException unreadable) {
            return false;
        }
    }

    private Watched submit(StageContext ctx, TrainingLauncher launcher, LaunchSettings launch, JobDir dir, Job in)
            throws IOException {
        RunParams p = ctx.params();
        Path trainer = trainerScript(launch);
        int nproc = launcher.nprocPerNode(p.nprocPerNode());
        TrainMemoryCheck.require(p, nproc, launch, in.startModel(), in.examples(), in.config().sequenceLength());
        Path startModel = launch.jobRoot().isPresent() ? StartModelCopy.into(dir, in.startModel()) : in.startModel();
        new JobSpec(startModel, in.padId(), in.config(), p.loraRank(), Train.LORA_ALPHA_PER_RANK * p.loraRank(),
                p.dtype()).write(dir, in.examples());
        // What an earlier job left that would read as this one's: its result, and a stop asked of it.
        deleteTree(dir.resultDir());
        deleteTree(dir.resultDir().resolveSibling(JobDir.RESULT_DIR + ".tmp"));
        Files.deleteIfExists(dir.stopFile());
        long offset = ProgressTail.end(dir.progress());

        String name = "sn37-" + ctx.runId() + "-a" + ctx.attempt();
        for (int k = 2; ctx.effects().find(EFFECT + name).isPresent(); k++) {
            name = "sn37-" + ctx.runId() + "-a" + ctx.attempt() + "-" + k;
        }
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("HF_HUB_OFFLINE", "1");
        environment.put("TRANSFORMERS_OFFLINE", "1");
        environment.put("PYTHONUNBUFFERED", "1");
        if ("cpu".equals(p.device())) environment.put("CUDA_VISIBLE_DEVICES", "");
        JobRequest request = new JobRequest(name, dir.dir(), launch.python(),
                List.of(trainer.toString(), "--job", dir.job().toString()), p.nnodes(), nproc,
                environment, dir.log());
        // The request as the launcher gets it, and where this job's progress events begin; no secrets.
        ObjectNode intent = Json.mapper().createObjectNode().put("launcher", launcher.name()).put("name", name)
                .put("jobDir", dir.dir().toString()).put("python", launch.python().toString())
                .put("nnodes", p.nnodes()).put("nprocPerNode", nproc).put("log", dir.log().toString())
                .put("progressOffset", offset);
        request.trainerArgs().forEach(intent.putArray("trainerArgs")::add);
        environment.forEach(intent.putObject("environment")::put);
        String key = EFFECT + name;
        ctx.effects().intend(key, Json.mapper().writeValueAsString(intent));
        JobHandle handle = launcher.submit(request);
        ctx.effects().confirm(key, Json.mapper().writeValueAsString(handle));
        return new Watched(handle, offset, null);
    }

    private static Path trainerScript(LaunchSettings launch) {
        return launch.trainerDir().toAbsolutePath().resolve("train.py");
    }

    private static void requireTrainer(LaunchSettings launch) {
        trainerProblem(launch).ifPresent(problem -> {
            throw new StageException(problem);
        });
    }

    /** What is missing for this machine to start the trainer, in one line saying how to make it; empty if nothing. */
    static Optional<String> trainerProblem(LaunchSettings launch) {
        Path python = launch.python();
        if (!Files.isExecutable(python)) {
            Path venv = python.getParent() != null && python.getParent().getParent() != null
                    ? python.getParent().getParent() : python;
            return Optional.of("the PyTorch trainer's Python environment is missing at " + python
                    + ": run trainer/setup-venv " + venv + " (or set train.torch.python to one)");
        }
        Path trainer = trainerScript(launch);
        if (!Files.isRegularFile(trainer)) {
            return Optional.of("the PyTorch trainer is missing at " + trainer + ": set train.torch.trainer-dir to"
                    + " the miner's trainer folder");
        }
        return Optional.empty();
    }

    /**
     * Polls the job and turns its progress into the stage's until it ends. A cancel writes the stop file (the
     * trainer checkpoints at its next micro-batch boundary and ends), then, if the job is still running after
     * {@link #stopGrace}, asks the launcher to cancel it. An interrupt leaves the job running: a resumed run
     * re-attaches.
     */
    private JobState watch(StageContext ctx, TrainingLauncher launcher, JobHandle job, JobDir dir,
            TorchProgress progress) throws IOException, InterruptedException {
        long stopAt = 0;
        boolean signalled = false;
        while (true) {
            progress.read();
            JobState state = launcher.state(job);
            if (state.phase().ended()) {
                progress.read();
                return state;
            }
            long now = System.nanoTime();
            if (stopAt == 0 && ctx.cancelRequested()) {
                LOG.info("stop requested: asking training job {} to checkpoint and stop", job.name());
                Files.write(dir.stopFile(), new byte[0]);
                stopAt = now;
            } else if (stopAt != 0 && !signalled && now - stopAt > stopGrace.toNanos()) {
                LOG.warn("training job {} has not stopped {} s after the stop file: cancelling it", job.name(),
                        stopGrace.toSeconds());
                launcher.cancel(job);
                signalled = true;
            } else if (signalled && now - stopAt > stopGrace.plus(cancelWait).toNanos()) {
                throw new CancellationException("training job " + job.name() + " (" + launcher.name() + " id "
                        + job.id() + ") did not stop after the stop file and a cancel; a resume re-attaches to it");
            }
            Thread.sleep(poll.toMillis());
        }
    }

    private Train.Output finish(StageContext ctx, Job in, JobDir dir, TrainingLauncher launcher, JobHandle job,
            JobState end, TorchProgress progress) throws IOException {
        if (!Files.isRegularFile(dir.result())) {
            String why = progress.error() != null ? progress.error()
                    : end.reason() != null ? end.reason() : "ended " + end.phase() + " without a result";
            if (ctx.cancelRequested()) {
                throw new CancellationException("training job " + job.name() + " ended without a result after the"
                        + " stop (" + why + "); a resume continues from its last checkpoint");
            }
            throw new StageException("the PyTorch training job " + job.name() + " failed: " + why + " (log: "
                    + dir.log() + ")");
        }
        TorchResult r = TorchResult.read(dir.result());
        boolean model = Files.isRegularFile(dir.finalModel());
        if (model) {
            FinalModel.write(dir.finalModel(), in.startModel(), in.best(), in.dtype());
            if (in.tokenizerDir() != null) Train.copyTokenizer(in.tokenizerDir(), in.best());
            LOG.info("best model (epoch loss {}) saved to {}", r.bestLoss(), in.best());
        }
        Path checkpoint = dir.dir().resolve(r.lastCheckpoint());
        Train.Output out = output(ctx.params(), launcher, job, r, model ? in.best().toString() : null, checkpoint);
        if (r.stoppedEarly()) {
            throw new StageStoppedException("stopped at step " + r.steps() + " of " + r.plannedSteps() + "; checkpoint "
                    + checkpoint.getFileName() + " kept: a resume continues training from it", out);
        }
        if (!model || !Files.isRegularFile(in.best().resolve(CheckpointDir.CONFIG))) {
            throw new StageException("training job " + job.name() + " ended (" + r.stoppedBy() + " at step "
                    + r.steps() + ") without final weights in " + dir.resultDir() + " (log: " + dir.log() + ")");
        }
        Train.registerArtifacts(ctx, in.best(), checkpoint);
        return out;
    }

    private static Train.Output output(RunParams p, TrainingLauncher launcher, JobHandle job, TorchResult r,
            String modelDir, Path checkpoint) {
        String device = r.gpuName() != null ? r.device() + " (" + r.gpuName() + ")" : r.device();
        return new Train.Output(modelDir, r.steps(), r.tokens(), r.examples(), r.epochLosses(), r.firstLoss(),
                r.lastLoss(), r.bestLoss(), r.tokensPerSecond(), device, p.dtype(), p.loraRank(), r.stoppedBy(),
                r.resumedFromStep(), checkpoint.toString(), r.stepLosses(), r.plannedSteps(), r.start(),
                RunParams.TORCH, launcher.name(), job.id(), r.worldSize(), r.gpus(), r.computeDtype());
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
