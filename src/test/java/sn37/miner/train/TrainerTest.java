package sn37.miner.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.data.JsonlSampleSource;
import sn37.miner.data.McSample;
import sn37.miner.model.llama.LlamaModel;
import sn37.miner.model.llama.LlamaWeights;
import sn37.miner.model.llama.TinyConfigs;
import sn37.miner.model.tokenizer.ChatTokenizer;

@ExtendWith(OneTorchThread.class)
class TrainerTest {

    @TempDir
    Path dir;


    /** Random sequences over a 64-token vocabulary, with answers that depend on the prompt. */
    static List<ChatExample> synthetic(int count, long seed) {
        Random random = new Random(seed);
        List<ChatExample> examples = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int length = 6 + random.nextInt(6);
            long[] ids = new long[length + 2];
            for (int t = 0; t < length; t++) {
                ids[t] = 3 + random.nextInt(60);
            }
            ids[length] = ids[0] % 4 + 3;
            ids[length + 1] = 2;
            examples.add(new ChatExample(ids, length));
        }
        return examples;
    }

    static LlamaModel tinyModel(long seed) {
        return LlamaWeights.initialize(TinyConfigs.llamaConfig(Map.of()), seed, Device.cpu());
    }

    static TrainSettings config(int epochs, int maxSteps, int checkpointEvery) {
        return new TrainSettings(3e-3, 0.01, 0.9, 0.999, 1e-8, 2, 3, epochs, maxSteps, checkpointEvery, 42, 1.0, 2, 0.1,
                64, 2);
    }

    private static final Trainer.BestModel NO_SAVE = (model, loss) -> { };

    @Test
    void resumedRunGivesTheLossesOfAnUninterruptedOne() throws Exception {
        List<ChatExample> examples = synthetic(20, 1);
        TrainResult whole;
        float[] wholeWeights;
        try (LlamaModel model = tinyModel(5)) {
            whole = new Trainer(model, examples, 0, config(3, -1, 2), dir.resolve("a"), NO_SAVE, r -> { })
                    .run(() -> false);
            wholeWeights = model.parameters().get("model.layers.1.mlp.down_proj.weight").toFloatArray();
        }
        assertEquals(3 * 4, whole.steps(), "20 examples / batch 3 = 7 micro-batches = 4 steps of 2 per epoch");

        Path checkpoints = dir.resolve("b");
        try (LlamaModel model = tinyModel(5)) {
            // A crash after step 7: the last checkpoint is step 6, in the middle of epoch 1.
            Trainer crashing = new Trainer(model, examples, 0, config(3, -1, 2), checkpoints, NO_SAVE, r -> {
                if (r.step() == 7) {
                    throw new IllegalStateException("simulated crash");
                }
            });
            assertThrows(IllegalStateException.class, () -> crashing.run(() -> false));
        }
        assertEquals(6, Checkpoint.latest(checkpoints).orElseThrow().state().step());
        TrainResult resumed;
        try (LlamaModel model = tinyModel(99)) { // other initial weights: the checkpoint must replace them all
            resumed = new Trainer(model, examples, 0, config(3, -1, 2), checkpoints, NO_SAVE, r -> { })
                    .run(() -> false);
            assertArrayEquals(wholeWeights, model.parameters().get("model.layers.1.mlp.down_proj.weight").toFloatArray(),
                    1e-6f);
        }
        assertEquals(6, resumed.resumedFromStep());
        assertEquals(whole.stepLosses().size(), resumed.stepLosses().size());
        for (int i = 0; i < whole.stepLosses().size(); i++) {
            assertEquals(whole.stepLosses().get(i), resumed.stepLosses().get(i), 1e-6, "step " + (i + 1));
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(whole.epochLosses().get(i), resumed.epochLosses().get(i), 1e-6, "epoch " + i);
        }
        assertEquals(whole.tokens(), resumed.tokens());
    }

    @Test
    void memoryStaysFlatOver200Steps() throws Exception {
        List<ChatExample> examples = synthetic(8, 2);
        try (LlamaModel model = tinyModel(3)) {
            AtomicInteger atStep10 = new AtomicInteger();
            AtomicInteger atStep200 = new AtomicInteger();
            TrainSettings config = new TrainSettings(1e-3, 0.01, 0.9, 0.999, 1e-8, 1, 4, -1, 200, 1000, 1, 1.0, 2, 0.1,
                    64, 1);
            TrainResult result = new Trainer(model, examples, 0, config, dir, NO_SAVE, r -> {
                if (r.step() == 10) {
                    atStep10.set(model.manager().getManagedArrays().size());
                } else if (r.step() == 200) {
                    atStep200.set(model.manager().getManagedArrays().size());
                }
            }).run(() -> false);
            assertEquals(200, result.steps());
            assertEquals(3 * model.parameters().size(), atStep10.get(), "parameters and AdamW's two moments each");
            assertEquals(atStep10.get(), atStep200.get(), "arrays held by the model's manager after 10 and 200 steps");
            assertEquals(model.parameters().size(), model.manager().getManagedArrays().size(),
                    "only the parameters remain once the trainer is done");
        }
    }

    @Test
    void aStopRequestEndsWithACheckpointAndThePartialEpochAsTheBest() throws Exception {
        List<ChatExample> examples = synthetic(30, 3);
        List<Double> saved = new ArrayList<>();
        AtomicInteger micro = new AtomicInteger();
        try (LlamaModel model = tinyModel(4)) {
            TrainResult result = new Trainer(model, examples, 0, config(-1, -1, 100), dir,
                    (m, loss) -> saved.add(loss), r -> { }).run(() -> micro.incrementAndGet() > 7);
            // 7 micro-batches pass the check: 3 full steps of 2, the 7th is dropped with its half step.
            assertEquals(3, result.steps());
            assertEquals(TrainResult.STOP_REQUESTED, result.stoppedBy());
            assertEquals(1, result.epochLosses().size());
            assertEquals(List.of(result.bestLoss()), saved);
            Checkpoint last = Checkpoint.latest(dir).orElseThrow();
            assertEquals(3, last.state().step());
            assertEquals(result.lastCheckpoint(), last.dir());
        }
    }

    @Test
    void resumeFallsBackToThePreviousCheckpointWhenTheNewestLostItsWeights() throws Exception {
        List<ChatExample> examples = synthetic(12, 4);
        try (LlamaModel model = tinyModel(6)) {
            new Trainer(model, examples, 0, config(-1, 4, 1), dir, NO_SAVE, r -> { }).run(() -> false);
        }
        Files.delete(dir.resolve("step-00000004").resolve(Checkpoint.MODEL));
        TrainResult resumed;
        try (LlamaModel model = tinyModel(6)) {
            resumed = new Trainer(model, examples, 0, config(-1, 6, 1), dir, NO_SAVE, r -> { }).run(() -> false);
        }
        assertEquals(3, resumed.resumedFromStep(), "step 3 is the checkpoint kept before step 4");
        assertEquals(6, resumed.steps());
        assertTrue(resumed.start().contains("step-00000003") && resumed.start().contains("step-00000004")
                && resumed.start().contains("model.safetensors is missing"), resumed.start());
    }

    @Test
    void aCheckpointWhoseFileWasCutShortIsNotUsed() throws Exception {
        try (LlamaModel model = tinyModel(6)) {
            new Trainer(model, synthetic(12, 4), 0, config(-1, 2, 1), dir, NO_SAVE, r -> { }).run(() -> false);
        }
        Path optimizer = dir.resolve("step-00000002").resolve(Checkpoint.OPTIMIZER);
        byte[] bytes = Files.readAllBytes(optimizer);
        Files.write(optimizer, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertEquals(1, Checkpoint.latest(dir).orElseThrow().state().step());
        Checkpoint.Found damaged = Checkpoint.scan(dir).get(0);
        assertFalse(damaged.usable());
        assertTrue(damaged.problem().startsWith("optimizer.safetensors has " + bytes.length / 2 + " bytes"),
                damaged.problem());
    }

    @Test
    void withoutACheckpointItSaysItStartsAtStepZero() throws Exception {
        try (LlamaModel model = tinyModel(6)) {
            TrainResult result = new Trainer(model, synthetic(12, 4), 0, config(-1, 1, 1), dir, NO_SAVE, r -> { })
                    .run(() -> false);
            assertEquals("No checkpoint: starting at step 0", result.start());
        }
        Files.delete(dir.resolve("step-00000001").resolve(Checkpoint.STATE));
        try (LlamaModel model = tinyModel(6)) {
            TrainResult result = new Trainer(model, synthetic(12, 4), 0, config(-1, 1, 1), dir, NO_SAVE, r -> { })
                    .run(() -> false);
            assertNull(result.resumedFromStep());
            assertEquals("No usable checkpoint (step-00000001: state.json is missing): starting at step 0",
                    result.start());
        }
    }

    @Test
    void aStopShortOfThePlannedStepsLeavesTheEpochOpenSoTheResumeMatchesAnUninterruptedRun() throws Exception {
        List<ChatExample> examples = synthetic(20, 1);
        TrainResult whole;
        try (LlamaModel model = tinyModel(5)) {
            whole = new Trainer(model, examples, 0, config(2, -1, 100), dir.resolve("a"), NO_SAVE, r -> { })
                    .run(() -> false);
        }
        AtomicInteger micro = new AtomicInteger();
        TrainResult stopped;
        try (LlamaModel model = tinyModel(5)) {
            stopped = new Trainer(model, examples, 0, config(2, -1, 100), dir.resolve("b"), NO_SAVE, r -> { })
                    .run(() -> micro.incrementAndGet() > 5);
        }
        assertTrue(stopped.stoppedEarly());
        assertEquals(2, stopped.steps());
        assertEquals(8, stopped.plannedSteps());
        assertEquals(List.of(), stopped.epochLosses(), "the epoch is not closed by the stop");
        TrainResult resumed;
        try (LlamaModel model = tinyModel(5)) {
            resumed = new Trainer(model, examples, 0, config(2, -1, 100), dir.resolve("b"), NO_SAVE, r -> { })
                    .run(() -> false);
        }
        assertFalse(resumed.stoppedEarly());
        assertEquals(whole.epochLosses().size(), resumed.epochLosses().size());
        for (int i = 0; i < whole.epochLosses().size(); i++) {
            assertEquals(whole.epochLosses().get(i), resumed.epochLosses().get(i), 1e-6, "epoch " + i);
        }
    }

    @Test
    void stopsAtMaxStepsAndWritesTheLastCheckpointOnce() throws Exception {
        try (LlamaModel model = tinyModel(6)) {
            TrainResult result = new Trainer(model, synthetic(12, 4), 0, config(-1, 5, 5), dir, NO_SAVE, r -> { })
                    .run(() -> false);
            assertEquals(5, result.steps());
            assertEquals(TrainResult.MAX_STEPS, result.stoppedBy());
            assertNull(result.resumedFromStep());
            assertEquals(List.of(dir.resolve("step-00000005")), Checkpoint.all(dir).stream().map(Checkpoint::dir).toList());
        }
    }

    @Test
    void refusesACheckpointOfAnotherModel() throws Exception {
        List<ChatExample> examples = synthetic(6, 5);
        try (LlamaModel model = tinyModel(1)) {
            new Trainer(model, examples, 0, config(1, -1, 1), dir, NO_SAVE, r -> { }).run(() -> false);
        }
        try (LlamaModel other = LlamaWeights.initialize(TinyConfigs.llamaConfig(Map.of("num_hidden_layers", 1)), 1,
                Device.cpu())) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new Trainer(other, examples, 0, config(1, -1, 1), dir, NO_SAVE, r -> { }).run(() -> false));
            assertTrue(e.getMessage().contains("another model"), e.getMessage());
        }
    }

    @Test
    void loraTrainsOnlyTheAdaptersAndResumesThem() throws Exception {
        List<ChatExample> examples = synthetic(12, 6);
        float[] base;
        TrainResult whole;
        try (LlamaModel model = tinyModel(8)) {
            base = model.parameters().get("model.layers.0.self_attn.q_proj.weight").toFloatArray();
            model.addLora(4, 4, 1);
            whole = new Trainer(model, examples, 0, config(2, -1, 2), dir.resolve("a"), NO_SAVE, r -> { })
                    .run(() -> false);
            assertArrayEquals(base, model.parameters().get("model.layers.0.self_attn.q_proj.weight").toFloatArray(),
                    "the base weights are frozen");
            float[] b = model.trainableParameters().get("model.layers.0.self_attn.q_proj.lora_B.weight").toFloatArray();
            assertTrue(Math.abs(b[0]) + Math.abs(b[1]) > 0, "B leaves zero as it trains");
        }
        assertTrue(whole.epochLosses().get(1) < whole.epochLosses().get(0), whole.epochLosses().toString());
        Path checkpoints = dir.resolve("b");
        try (LlamaModel model = tinyModel(8)) {
            model.addLora(4, 4, 1);
            new Trainer(model, examples, 0, config(2, 3, 2), checkpoints, NO_SAVE, r -> { }).run(() -> false);
        }
        try (LlamaModel model = tinyModel(8)) {
            model.addLora(4, 4, 99); // other adapter init: the checkpoint must replace it
            TrainResult resumed = new Trainer(model, examples, 0, config(2, -1, 2), checkpoints, NO_SAVE, r -> { })
                    .run(() -> false);
            assertEquals(3, resumed.resumedFromStep());
            for (int i = 0; i < whole.stepLosses().size(); i++) {
                assertEquals(whole.stepLosses().get(i), resumed.stepLosses().get(i), 1e-6, "step " + (i + 1));
            }
        }
    }

    @Test
    void lossFallsOnTheBundledSn1Sample() throws Exception {
        List<ChatExample> examples = new ArrayList<>();
        try (ChatTokenizer tokenizer = ChatTokenizer.bundled()) {
            for (McSample sample : JsonlSampleSource.bundled().load().samples()) {
                examples.add(ChatExample.of(sample, tokenizer, 4096));
            }
            Map<String, Object> cl100k = Map.of("vocab_size", (int) tokenizer.vocabularySize(),
                    "tie_word_embeddings", true, "hidden_size", 32, "intermediate_size", 64);
            try (LlamaModel model = LlamaWeights.initialize(TinyConfigs.llamaConfig(cl100k), 0, Device.cpu())) {
                TrainSettings config = new TrainSettings(1e-2, 0.01, 0.9, 0.999, 1e-8, 1, 8, 6, -1, 100, 0, 1.0, 2, 0.1,
                        4096, 1);
                TrainResult result = new Trainer(model, examples, tokenizer.eosTokenId(), config, dir, NO_SAVE,
                        r -> { }).run(() -> false);
                double first = result.epochLosses().get(0);
                double last = result.epochLosses().get(5);
                assertTrue(first > 5, "an untrained model spreads ~ln(100277) = 11.5 nats per token: " + first);
                assertTrue(last < first / 5, "epoch losses " + result.epochLosses());
                assertEquals(last, result.bestLoss());
            }
        }
        assertFalse(Files.list(dir).anyMatch(p -> p.getFileName().toString().endsWith(".partial")));
    }

}
