package sn37.miner.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.data.JsonlSampleSource;
import sn37.miner.data.SnapshotWriter;
import sn37.miner.launch.LaunchException;
import sn37.miner.launch.LaunchSettings;
import sn37.miner.model.CheckpointDir;
import sn37.miner.model.Dtype;
import sn37.miner.model.HalfFloats;
import sn37.miner.model.llama.LlamaModel;
import sn37.miner.model.llama.LlamaWeights;
import sn37.miner.train.OneTorchThread;

@ExtendWith(OneTorchThread.class)
class TrainTest {

    @TempDir
    Path dir;

    private final LoadModelTest.Contexts.Recorded outputs = new LoadModelTest.Contexts.Recorded();

    /** load-model (the bundled tiny Llama) and fetch-data (the bundled SN1 sample) have run. */
    @BeforeEach
    void earlierStages() throws Exception {
        RunParams init = LoadModelTest.Contexts.params("{\"init_config\": \"tiny-llama\"}");
        outputs.put(StageNames.LOAD_MODEL, new LoadModel(LoadModelTest.Contexts.services(dir))
                .run(LoadModelTest.Contexts.context(init, dir.resolve("run"), outputs, () -> false)));
        Path snapshot = dir.resolve("run/data/sn1-snapshot.jsonl");
        SnapshotWriter.write(JsonlSampleSource.bundled().load().samples(), snapshot);
        outputs.put(StageNames.FETCH_DATA, FetchOutputs.multipleChoice(snapshot));
    }

    private Train.Output train(String paramsJson, BooleanSupplier cancel, StageContext[] ctxOut) throws Exception {
        StageContext ctx = LoadModelTest.Contexts.context(LoadModelTest.Contexts.params(paramsJson), dir.resolve("run"), outputs, cancel);
        if (ctxOut != null) {
            ctxOut[0] = ctx;
        }
        return new Train(LoadModelTest.Contexts.services(dir)).run(ctx);
    }

    @Test
    void trainsAndWritesTheBestModelInTheCompetitionDtype() throws Exception {
        StageContext[] ctx = new StageContext[1];
        Train.Output out = train("{\"max_steps\": 3, \"batch_size\": 8, \"accumulation_steps\": 1, \"lr\": 0.001,"
                + " \"checkpoint_every\": 2}", () -> false, ctx);
        assertEquals(3, out.steps());
        assertEquals("max_steps", out.stoppedBy());
        assertEquals(40, out.examples());
        assertEquals(3, out.stepLosses().size());
        assertEquals(out.stepLosses().get(0), out.firstLoss());
        assertEquals("cpu()", out.device());
        assertEquals(1, out.epochLosses().size(), "the partial epoch ends at the stop");
        assertEquals(out.epochLosses().get(0), out.bestLoss());
        try (CheckpointDir best = CheckpointDir.open(Path.of(out.modelDir()))) {
            assertEquals("bfloat16", best.config().torchDtype().orElseThrow());
            assertTrue(best.tensors().stream().allMatch(t -> t.dtype() == Dtype.BF16));
        }
        assertTrue(out.tokens() > 0 && out.tokensPerSecond() > 0);
        List<String> artifacts = ctx[0].artifacts().stream().map(Artifact::name).toList();
        assertTrue(artifacts.contains("best-model/model.safetensors"), artifacts.toString());
        assertTrue(artifacts.contains("checkpoint/state.json"), artifacts.toString());
        assertTrue(out.checkpointDir().endsWith("step-00000003"), out.checkpointDir());
    }

    @Test
    void runAgainItContinuesFromItsLastCheckpoint() throws Exception {
        Train.Output first = train("{\"max_steps\": 2, \"batch_size\": 8, \"accumulation_steps\": 1}", () -> false, null);
        assertNull(first.resumedFromStep());
        Train.Output again = train("{\"max_steps\": 4, \"batch_size\": 8, \"accumulation_steps\": 1}", () -> false, null);
        assertEquals(2, again.resumedFromStep());
        assertEquals(4, again.steps());
        assertEquals(first.stepLosses(), again.stepLosses().subList(0, 2));
    }

    @Test
    void aCancelledRunKeepsTheModelTrainedSoFar() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        Train.Output out = train("{\"batch_size\": 8, \"accumulation_steps\": 2}", () -> polls.incrementAndGet() > 4,
                null);
        assertEquals("stop_requested", out.stoppedBy());
        assertEquals(2, out.steps());
        try (LlamaModel best = LlamaWeights.load(Path.of(out.modelDir()), Device.cpu())) {
            assertEquals("LlamaForCausalLM", best.config().architecture());
        }
    }

    @Test
    void aStopShortOfThePlannedStepsIsNotASuccessAndTheNextRunContinuesFromItsCheckpoint() throws Exception {
        String params = "{\"max_steps\": 6, \"batch_size\": 8, \"accumulation_steps\": 1, \"checkpoint_every\": 50}";
        AtomicInteger polls = new AtomicInteger();
        StageStoppedException stop = assertThrows(StageStoppedException.class,
                () -> train(params, () -> polls.incrementAndGet() > 2, null));
        Train.Output stopped = (Train.Output) stop.outputs();
        assertEquals(2, stopped.steps());
        assertEquals(6, stopped.plannedSteps());
        assertEquals("stop_requested", stopped.stoppedBy());
        assertTrue(stopped.checkpointDir().endsWith("step-00000002"), stopped.checkpointDir());
        assertTrue(Files.isRegularFile(Path.of(stopped.checkpointDir()).resolve("DONE")));
        assertTrue(stop.getMessage().contains("stopped at step 2 of 6"), stop.getMessage());

        Train.Output resumed = train(params, () -> false, null);
        assertEquals(2, resumed.resumedFromStep());
        assertEquals(6, resumed.steps());
        assertEquals("max_steps", resumed.stoppedBy());
        assertTrue(resumed.start().startsWith("resumed from checkpoint step-00000002"), resumed.start());
    }

    @Test
    void itsOutputsSayWhenThereWasNoCheckpointToStartFrom() throws Exception {
        Train.Output out = train("{\"max_steps\": 1, \"batch_size\": 8, \"accumulation_steps\": 1}", () -> false,
                null);
        assertEquals("No checkpoint: starting at step 0", out.start());
    }

    @Test
    void withLoraRankItSavesThePlainMergedModel() throws Exception {
        Train.Output out = train("{\"lora_rank\": 4, \"lr\": 0.01, \"max_steps\": 2, \"batch_size\": 8,"
                + " \"accumulation_steps\": 1}", () -> false, null);
        assertEquals(4, out.loraRank());
        try (CheckpointDir best = CheckpointDir.open(Path.of(out.modelDir()))) {
            assertTrue(best.tensors().stream().noneMatch(t -> t.name().contains("lora")));
        }
        try (LlamaModel start = LlamaWeights.load(dir.resolve("run/model/init"), Device.cpu());
                LlamaModel trained = LlamaWeights.load(Path.of(out.modelDir()), Device.cpu())) {
            String name = "model.layers.0.mlp.up_proj.weight";
            float[] before = start.parameters().get(name).toFloatArray();
            float[] after = trained.parameters().get(name).toFloatArray();
            int changed = 0;
            for (int i = 0; i < before.length; i++) {
                // Saved as bfloat16: compare with the start weights rounded the same way.
                changed += after[i] != HalfFloats.bf16ToF32(HalfFloats.f32ToBf16(before[i])) ? 1 : 0;
            }
            assertTrue(changed > before.length / 10, "the adapters' update is merged into the saved weights: "
                    + changed + " of " + before.length + " changed");
        }
    }

    @Test
    void cudaWithoutAGpuIsAClearErrorAndNoCrash() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> train("{\"device\": \"cuda\", \"max_steps\": 1}", () -> false, null));
        assertTrue(e.getMessage().startsWith("--device cuda"), e.getMessage());
        assertTrue(e.getMessage().contains("--device cpu"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("run/train/best-model")));
    }

    @Test
    void torchWithoutItsPythonEnvironmentIsOneLineSayingHowToMakeIt() throws Exception {
        Path python = dir.resolve("no-venv/bin/python");
        StageContext ctx = LoadModelTest.Contexts.context(LoadModelTest.Contexts.params("{\"trainer\": \"torch\","
                + " \"max_steps\": 1}"), dir.resolve("run"), outputs, () -> false);
        StageException e = assertThrows(StageException.class, () -> new Train(LoadModelTest.Contexts.services(dir),
                LaunchSettings.local(dir).withPython(python)).run(ctx));
        assertEquals("the PyTorch trainer's Python environment is missing at " + python + ": run trainer/setup-venv "
                + dir.resolve("no-venv") + " (or set train.torch.python to one)", e.getMessage());
        assertTrue(Files.notExists(dir.resolve("run/train/job/launches.jsonl")), "nothing was started");
    }

    @Test
    void slurmWithoutAnAddressIsOneLineNamingTheKey() throws Exception {
        StageContext ctx = LoadModelTest.Contexts.context(LoadModelTest.Contexts.params("{\"trainer\": \"torch\","
                + " \"launcher\": \"slurm\", \"max_steps\": 1}"), dir.resolve("run"), outputs, () -> false);
        LaunchException e = assertThrows(LaunchException.class, () -> new Train(LoadModelTest.Contexts.services(dir))
                .run(ctx));
        assertEquals("--launcher slurm needs slurmrestd's address: set train.slurm.url", e.getMessage());
    }
}
