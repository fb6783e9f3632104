package sn37.miner.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    @TempDir
    Path root;

    static TrainState state(int step) {
        return new TrainState(step, 1, 3, 42, 1.5, 2, List.of(2.0), 2.0, List.of(3.0, 2.5), 100, "fp");
    }

    @Test
    void roundTripsWeightsOptimizerStateAndTrainState() throws Exception {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray w = manager.create(new float[] {1f, 2f, 3f});
            NDArray m = manager.create(new float[] {0.1f, 0.2f, 0.3f});
            Checkpoint written = Checkpoint.write(root, state(4), Map.of("w", w), Map.of("exp_avg.w", m), 2);
            Checkpoint read = Checkpoint.latest(root).orElseThrow();
            assertEquals(written, read);
            assertEquals(state(4), read.state());
            try (Checkpoint.Tensors weights = read.readWeights(); Checkpoint.Tensors optimizer = read.readOptimizer()) {
                assertArrayEquals(new float[] {1f, 2f, 3f}, weights.get("w"));
                assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f}, optimizer.get("exp_avg.w"));
                assertNull(weights.get("absent"), "a tensor the file lacks is null, so the caller names it");
            }
        }
    }

    @Test
    void ignoresUnfinishedCheckpointsAndKeepsOnlyTheNewest() throws Exception {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Map<String, NDArray> weights = Map.of("w", manager.create(new float[] {1f}));
            for (int step : new int[] {1, 2, 3}) {
                Checkpoint.write(root, state(step), weights, Map.of(), 2);
            }
            assertEquals(List.of(3, 2), Checkpoint.all(root).stream().map(c -> c.state().step()).toList());
            // A crash while writing step 4 (no DONE) and a stray partial directory.
            Path unfinished = Files.createDirectories(root.resolve("step-00000004"));
            Files.writeString(unfinished.resolve(Checkpoint.STATE), "{}");
            Files.createDirectories(root.resolve(".step-00000005.partial"));
            assertEquals(3, Checkpoint.latest(root).orElseThrow().state().step());
            Checkpoint.write(root, state(6), weights, Map.of(), 2);
            assertTrue(Files.notExists(root.resolve(".step-00000005.partial")), "leftovers are removed");
            assertEquals(6, Checkpoint.latest(root).orElseThrow().state().step());
        }
    }
}
