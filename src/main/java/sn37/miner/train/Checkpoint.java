package sn37.miner.train;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import sn37.miner.model.Dtype;
import sn37.miner.model.DeferredFloatTensor;
import sn37.miner.model.SafetensorsReader;
import sn37.miner.model.SafetensorsWriter;

/**
 * A training checkpoint, complete or absent (llm.c's {@code write_checkpoint}, nanoGPT): the
 * float32 weights ({@code model.safetensors}), AdamW's moments ({@code optimizer.safetensors}) and
 * the {@link TrainState} ({@code state.json}) are written into a hidden {@code .step-N.partial}
 * directory, then an empty {@code DONE} marker, then the directory is renamed to {@code step-N}.
 * A crash leaves either a finished {@code step-N} or a partial directory that {@link #latest}
 * ignores and the next write removes.
 */
public record Checkpoint(Path dir, TrainState state) {

    public static final String MODEL = "model.safetensors";
    public static final String OPTIMIZER = "optimizer.safetensors";
    public static final String STATE = "state.json";
    public static final String DONE = "DONE";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Writes step {@code state.step()} under {@code root} and keeps only the newest {@code keep}. */
    public static Checkpoint write(Path root, TrainState state, Map<String, NDArray> weights,
            Map<String, NDArray> optimizerState, int keep) throws IOException {
        Files.createDirectories(root);
        String name = String.format("step-%08d", state.step());
        try (Stream<Path> old = Files.list(root)) {
            for (Path leftover : old.filter(p -> p.getFileName().toString().endsWith(".partial")).toList()) {
                deleteTree(leftover);
            }
        }
        Path partial = root.resolve("." + name + ".partial");
        Files.createDirectories(partial);
        SafetensorsWriter.write(partial.resolve(MODEL), tensors(weights));
        SafetensorsWriter.write(partial.resolve(OPTIMIZER), tensors(optimizerState));
        Files.write(partial.resolve(STATE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
        fsync(partial.resolve(STATE));
        Files.write(partial.resolve(DONE), new byte[0]);
        fsync(partial.resolve(DONE));
        Path target = root.resolve(name);
        if (Files.exists(target)) {
            deleteTree(target);
        }
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        fsync(root);
        List<Checkpoint> complete = all(root);
        for (Checkpoint older : complete.subList(Math.min(keep, complete.size()), complete.size())) {
            deleteTree(older.dir());
        }
        return new Checkpoint(target, state);
    }

    /** The newest complete checkpoint under {@code root}, if any. */
    public static Optional<Checkpoint> latest(Path root) throws IOException {
        return all(root).stream().findFirst();
    }

    /** Complete checkpoints, newest first. */
    static List<Checkpoint> all(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Checkpoint> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(root)) {
            for (Path dir : entries.filter(p -> p.getFileName().toString().matches("step-\\d{8}")).toList()) {
                if (Files.isRegularFile(dir.resolve(DONE))) {
                    found.add(new Checkpoint(dir, JSON.readValue(dir.resolve(STATE).toFile(), TrainState.class)));
                }
            }
        }
        found.sort(Comparator.comparingInt((Checkpoint c) -> c.state().step()).reversed());
        return found;
    }

    /** The weights, each read when asked for: resuming holds one tensor at a time on the heap, not the model. */
    public Tensors readWeights() throws IOException {
        return new Tensors(SafetensorsReader.open(dir.resolve(MODEL)));
    }

    public Tensors readOptimizer() throws IOException {
        return new Tensors(SafetensorsReader.open(dir.resolve(OPTIMIZER)));
    }

    /** The tensors of one checkpoint file, read as F32 on demand; open until closed. */
    public static final class Tensors implements AutoCloseable {
        private final SafetensorsReader reader;

        private Tensors(SafetensorsReader reader) {
            this.reader = reader;
        }

        /** The values of {@code name}, or null when the file has no such tensor. */
        public float[] get(String name) throws IOException {
            return reader.contains(name) ? reader.readFloats(name) : null;
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }

    private static List<DeferredFloatTensor> tensors(Map<String, NDArray> arrays) {
        List<DeferredFloatTensor> tensors = new ArrayList<>();
        arrays.forEach((name, array) ->
                tensors.add(new DeferredFloatTensor(name, Dtype.F32, array.getShape().getShape(), array::toFloatArray)));
        return tensors;
    }

    private static void fsync(Path path) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException notSupported) {
            // Directories cannot be synced everywhere; the files themselves were.
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
