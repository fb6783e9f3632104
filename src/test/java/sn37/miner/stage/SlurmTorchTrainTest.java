package sn37.miner.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.util.Json;
import sn37.miner.util.Secret;
import sn37.miner.data.JsonlSampleSource;
import sn37.miner.data.SnapshotWriter;
import sn37.miner.launch.JobHandle;
import sn37.miner.launch.LaunchSettings;
import sn37.miner.launch.slurm.SlurmCluster;
import sn37.miner.launch.slurm.SlurmJob;
import sn37.miner.launch.slurm.SlurmRestClient;
import sn37.miner.launch.slurm.SlurmSettings;
import sn37.miner.run.EffectRecords;
import sn37.miner.run.ForwardingEffects;
import sn37.miner.run.EffectStatus;
import sn37.miner.run.ExternalEffect;
import sn37.miner.run.RunDatabase;
import sn37.miner.run.RunStore;
import sn37.miner.run.StoreEffects;
import sn37.miner.testing.TrainerPython;
import sn37.miner.train.torch.JobDir;

/**
 * The train stage with {@code --trainer torch --launcher slurm} on a real Slurm cluster on loopback
 * ({@link SlurmCluster}): two tasks on the one node, each a torchrun agent with {@code --nnodes 2} and c10d
 * rendezvous, train the bundled tiny Llama. The job's identity goes into a real run store, as in
 * {@link TorchTrainTest}; the cluster is asked directly how many jobs a run made.
 */
class SlurmTorchTrainTest {
    /** Jobs run as root: the orchestrator's job directory and the test venv are root's. */
    private static final String USER = "root";
    private static SlurmCluster cluster;
    private static String token;

    @TempDir Path dir;

    private final LoadModelTest.Contexts.Recorded outputs = new LoadModelTest.Contexts.Recorded();
    private RunDatabase db;
    private RunStore store;
    private String runId;
    private LaunchSettings launch;

    @BeforeAll
    static void cluster() {
        cluster = SlurmCluster.shared();
        token = cluster.token(USER, 3600);
    }

    @BeforeEach
    void earlierStages() throws Exception {
        RunParams init = LoadModelTest.Contexts.params("{\"init_config\": \"tiny-llama\"}");
        outputs.put(StageNames.LOAD_MODEL, new LoadModel(LoadModelTest.Contexts.services(dir))
                .run(LoadModelTest.Contexts.context(init, dir.resolve("run"), outputs, () -> false)));
        Path snapshot = dir.resolve("run/data/sn1-snapshot.jsonl");
        SnapshotWriter.write(JsonlSampleSource.bundled().load().samples(), snapshot);
        outputs.put(StageNames.FETCH_DATA, java.util.Map.of("snapshotPath", snapshot.toString()));
        db = RunDatabase.open(dir.resolve("db/pipeline"));
        store = new RunStore(db.dataSource());
        runId = store.createRun("pipeline", "{}", "HTTP", null).run().id();
        // The job root is the storage both sides see: the cluster's own folder, one per test.
        Path jobRoot = cluster.newJobDir("stage-" + runId);
        SlurmSettings slurm = new SlurmSettings(cluster.restUrl(), USER, SlurmCluster.PARTITION, 2,
                Duration.ofMinutes(10), freePort(), 0, 1, null, null);
        launch = new LaunchSettings(TrainerPython.get(), TrainerPython.trainerDir(), Optional.of(jobRoot),
                Optional.of(slurm), Optional.of(Secret.of(token)), null);
    }

    @AfterEach
    void closeStore() {
        if (db != null) db.close();
    }

    private static String params(int maxSteps, int checkpointEvery) {
        return "{\"trainer\": \"torch\", \"launcher\": \"slurm\", \"nnodes\": 2, \"nproc_per_node\": 1,"
                + " \"device\": \"cpu\", \"max_steps\": " + maxSteps + ", \"batch_size\": 2,"
                + " \"accumulation_steps\": 1, \"lr\": 0.001, \"checkpoint_every\": " + checkpointEvery + "}";
    }

    private Train.Output train(String paramsJson, int attempt, java.util.function.BooleanSupplier cancel,
            Progress progress, EffectRecords effects) throws Exception {
        StageContext ctx = StageContexts.of(LoadModelTest.Contexts.params(paramsJson), dir.resolve("run"))
                .run(runId, attempt).outputs(outputs).cancel(cancel).effects(effects).progress(progress).build();
        return new Train(LoadModelTest.Contexts.services(dir), launch).run(ctx);
    }

    private StoreEffects effects() {
        return new StoreEffects(store, runId, StageNames.TRAIN);
    }

    private JobDir jobDir() {
        return new JobDir(launch.jobRoot().orElseThrow().resolve(runId));
    }

    /** This run's jobs as slurmctld lists them, oldest first. */
    private List<SlurmJob> slurmJobs() throws Exception {
        SlurmRestClient client = new SlurmRestClient(cluster.restUrl(), USER, () -> token, Duration.ofSeconds(20));
        return client.jobs().stream().filter(j -> j.name().startsWith("sn37-" + runId + "-a"))
                .sorted(java.util.Comparator.comparingLong(SlurmJob::id)).toList();
    }

    private List<JsonNode> progressEvents(String event) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(jobDir().progress())) {
            JsonNode node = Json.mapper().readTree(line);
            if (event.equals(node.path("event").asText())) events.add(node);
        }
        return events;
    }

    @Test
    void anOrchestratorKilledBetweenSubmitAndRecordFindsItsJobByNameAndFinishesWithIt() throws Exception {
        String params = params(4, 50);
        // Attempt 1 dies the moment Slurm has taken the job, before the run store hears of it.
        EffectRecords dying = new DyingAtConfirm(effects());
        assertThrows(OrchestratorKilled.class, () -> train(params, 1, () -> false, Progress.NONE, dying));
        assertEquals(EffectStatus.INTENDED, store.effects(runId).get(0).status());

        Train.Output out = train(params, 2, () -> false, Progress.NONE, effects());

        List<SlurmJob> jobs = slurmJobs();
        assertEquals(1, jobs.size(), "exactly one Slurm job for the run: " + jobs);
        assertEquals("sn37-" + runId + "-a1", jobs.get(0).name());
        assertEquals(List.of("COMPLETED"), jobs.get(0).states());
        assertEquals(Long.toString(jobs.get(0).id()), out.jobId());
        assertEquals("slurm", out.launcher());
        assertEquals(2, out.worldSize(), "two torchrun agents, one process each");
        assertEquals(4, out.steps());
        assertEquals("max_steps", out.stoppedBy());
        assertNull(out.resumedFromStep(), "the one job trained from step 0 to the end");
        List<ExternalEffect> effects = store.effects(runId);
        assertEquals(1, effects.size(), effects.toString());
        assertEquals(EffectStatus.CONFIRMED, effects.get(0).status());
        assertEquals(out.jobId(), Json.mapper().readValue(effects.get(0).responseJson(), JobHandle.class).id());
        assertTrue(Files.isRegularFile(Path.of(out.modelDir()).resolve("model.safetensors")), out.modelDir());
    }

    @Test
    void aJobScancelledMidTrainingResumesFromItsLastCheckpointAndACancelStopsItAfterACheckpoint() throws Exception {
        String params = params(14, 1);
        AtomicBoolean killed = new AtomicBoolean();
        Progress scancelAfterStep2 = event -> {
            if (event.done() >= 2 && killed.compareAndSet(false, true)) {
                cluster.run(List.of("scancel", slurmJobId()), Duration.ofSeconds(10));
            }
        };
        // scancel sends SIGTERM to the trainer and to srun, which answers with SIGKILL to the trainer: either the
        // trainer's own stop wins (a checkpoint at the kill) or the SIGKILL does (only the periodic checkpoints).
        StageException killedJob = assertThrows(StageException.class,
                () -> train(params, 1, () -> false, scancelAfterStep2, effects()));
        assertTrue(killedJob.getMessage().startsWith("the PyTorch training job sn37-" + runId + "-a1 failed: ")
                || killedJob.getMessage().contains("a resume continues training from it"), killedJob.getMessage());
        List<JsonNode> checkpoints = progressEvents("checkpoint");
        assertTrue(!checkpoints.isEmpty(), "killed after a checkpoint");
        assertTrue(progressEvents("end").stream().noneMatch(e -> e.path("step").asInt() == 14), "killed before the end");
        int lastReported = checkpoints.get(checkpoints.size() - 1).path("step").asInt();

        AtomicBoolean cancel = new AtomicBoolean();
        StageStoppedException stop = assertThrows(StageStoppedException.class, () -> train(params, 2, cancel::get,
                event -> cancel.set(true), effects()));

        List<JsonNode> starts = progressEvents("start");
        assertEquals(2, starts.size());
        int resumedFrom = starts.get(1).path("resumed_from_step").asInt();
        // the kill may land after a checkpoint's rename and before its progress event
        assertTrue(resumedFrom >= lastReported && resumedFrom > 0, starts.get(1).toString());
        Train.Output stopped = (Train.Output) stop.outputs();
        assertEquals(resumedFrom, stopped.resumedFromStep(), "continued from the last checkpoint, not step 0");
        assertEquals("stop_requested", stopped.stoppedBy());
        assertTrue(stopped.steps() > resumedFrom && stopped.steps() < 14, "stopped at step " + stopped.steps());
        Path checkpoint = Path.of(stopped.checkpointDir());
        assertTrue(checkpoint.endsWith(String.format("step-%08d", stopped.steps())), checkpoint.toString());
        assertTrue(Files.isRegularFile(checkpoint.resolve("state.json")), "the cancel's checkpoint is complete");
        List<SlurmJob> jobs = slurmJobs();
        assertEquals(List.of("sn37-" + runId + "-a1", "sn37-" + runId + "-a2"),
                jobs.stream().map(SlurmJob::name).toList());
        assertEquals(List.of("CANCELLED"), jobs.get(0).states());
        // The trainer stopped by itself through the stop file: the job ended well, no scancel needed.
        assertEquals(List.of("COMPLETED"), jobs.get(1).states());
        assertEquals(Long.toString(jobs.get(1).id()), stopped.jobId());
    }

    @Test
    void aJobTheClusterHasForgottenIsTakenFromItsCompleteResult() throws Exception {
        // An attempt confirmed job 987654, which ended, complete, longer ago than the cluster's MinJobAge.
        String name = "sn37-" + runId + "-a1";
        StoreEffects effects = effects();
        effects.intend(TorchTrain.EFFECT + name, "{\"launcher\": \"slurm\", \"name\": \"" + name + "\","
                + " \"progressOffset\": 0}");
        effects.confirm(TorchTrain.EFFECT + name, Json.mapper().writeValueAsString(new JobHandle("slurm", "987654",
                name)));
        JobDir job = jobDir();
        Path checkpoint = Files.createDirectories(job.checkpoints().resolve("step-00000004"));
        Files.writeString(checkpoint.resolve("state.json"), "{}");
        Files.createDirectories(job.resultDir());
        Path startModel = Path.of(outputs.of(StageNames.LOAD_MODEL, LoadModel.Output.class).orElseThrow().modelDir());
        Files.copy(startModel.resolve("model.safetensors"), job.finalModel());
        Files.writeString(job.result(), "{\"steps\": 4, \"tokens\": 640, \"examples\": 8, \"epoch_losses\": [],"
                + " \"step_losses\": [11.4, 11.2, 11.0, 10.8], \"first_loss\": 11.4, \"last_loss\": 10.8,"
                + " \"tokens_per_second\": 50, \"stopped_by\": \"max_steps\", \"planned_steps\": 4,"
                + " \"last_checkpoint\": \"checkpoints/step-00000004\", \"world_size\": 2, \"device\": \"cpu\","
                + " \"gpus\": 0, \"compute_dtype\": \"float32\"}");

        Train.Output out = train(params(4, 50), 2, () -> false, Progress.NONE, effects);

        assertEquals("987654", out.jobId());
        assertEquals(4, out.steps());
        assertEquals(List.of(), slurmJobs(), "nothing submitted");
        assertEquals(1, store.effects(runId).size());
        assertTrue(Files.isRegularFile(Path.of(out.modelDir()).resolve("model.safetensors")), out.modelDir());
    }

    private String slurmJobId() {
        try {
            return Long.toString(slurmJobs().get(0).id());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a SIGKILL right after the submit leaves: an intended effect that no one confirmed. */
    private static final class OrchestratorKilled extends RuntimeException {
        OrchestratorKilled() {
            super("orchestrator killed");
        }
    }

    private static final class DyingAtConfirm extends ForwardingEffects {
        DyingAtConfirm(EffectRecords store) {
            super(store);
        }

        @Override
        public void confirm(String effectKey, String responseJson) {
            throw new OrchestratorKilled();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
