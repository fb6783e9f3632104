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
import java.util.TreeMap;
import java.util.stream.Stream;
import sn37.miner.model.Dtype;
import sn37.miner.model.DeferredFloatTensor;
import sn37.miner.model.SafetensorsReader;
import sn37.miner.model.SafetensorsWriter;

/**
 * A training checkpoint, complete or absent (llm.c's {@code write_checkpoint}, nanoGPT): the
 * float32 weights ({@code model.safetensors}), AdamW's moments ({@code optimizer.safetensors}) and
 * the {@link TrainState} ({@code state.json}) are written into a hidden {@code .step-N.partial}
 * directory, then a {@code DONE} marker holding the byte size of each of those files, then the
 * directory is renamed to {@code step-N}. A crash leaves either a finished {@code step-N} or a
 * partial directory that {@link #latest} ignores and the next write removes. Before a checkpoint
 * is used, its marker and file sizes are checked ({@link #scan}): one whose files were removed or
 * cut short since is skipped, and the next older one is used.
 */
public record Checkpoint(Path dir, TrainState state) {

    public static final String MODEL = "model.safetensors";
    public static final String OPTIMIZER = "optimizer.safetensors";
    public static final String STATE = "state.json";
    public static final String DONE = "DONE";
    private static final List<String> FILES = List.of(MODEL, OPTIMIZER, STATE);
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
        Map<String, Long> sizes = new TreeMap<>();
        for (String file : FILES) {
            sizes.put(file, Files.size(partial.resolve(file)));
        }
        Files.write(partial.resolve(DONE), JSON.writeValueAsBytes(new Marker(sizes)));
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

    /** The newest complete checkpoint under {@code root} whose files are intact, if any. */
    public static Optional<Checkpoint> latest(Path root) throws IOException {
        return all(root).stream().findFirst();
    }

    /** Complete checkpoints whose files are intact, newest first. */
    static List<Checkpoint> all(Path root) throws IOException {
        return scan(root).stream().filter(Found::usable).map(Found::checkpoint).toList();
    }

    /**
     * A {@code step-N} directory and what checking it found: the checkpoint, or why it cannot be used.
     *
     * @param problem null when usable; else why not, naming the file (never its content)
     */
    public record Found(Path dir, Checkpoint checkpoint, String problem) {
        public boolean usable() {
            return problem == null;
        }
    }

    /**
     * Every {@code step-N} directory under {@code root}, newest first, each checked: the {@code DONE}
     * marker is there, and every file it lists has the size recorded when it was written. (A marker
     * written before sizes were recorded is empty; then the files need only be there.)
     */
    public static List<Found> scan(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> dirs;
        try (Stream<Path> entries = Files.list(root)) {
            dirs = entries.filter(p -> p.getFileName().toString().matches("step-\\d{8}"))
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed()).toList();
        }
        List<Found> found = new ArrayList<>();
        for (Path dir : dirs) {
            String problem = check(dir);
            Checkpoint checkpoint = null;
            if (problem == null) {
                try {
                    checkpoint = new Checkpoint(dir, JSON.readValue(dir.resolve(STATE).toFile(), TrainState.class));
                } catch (IOException e) {
                    problem = STATE + " cannot be read as a training state";
                }
            }
            found.add(new Found(dir, checkpoint, problem));
        }
        return found;
    }

    private static String check(Path dir) {
        Path done = dir.resolve(DONE);
        if (!Files.isRegularFile(done)) {
            return "unfinished: no " + DONE + " marker";
        }
        Map<String, Long> sizes = new TreeMap<>();
        try {
            if (Files.size(done) == 0) {
                FILES.forEach(f -> sizes.put(f, -1L));
            } else {
                Marker marker = JSON.readValue(done.toFile(), Marker.class);
                if (marker.files() == null || !marker.files().keySet().containsAll(FILES)) {
                    return DONE + " does not list the sizes of " + FILES;
                }
                sizes.putAll(marker.files());
            }
        } catch (IOException e) {
            return DONE + " cannot be read as a checkpoint marker";
        }
        for (Map.Entry<String, Long> file : sizes.entrySet()) {
            Path path = dir.resolve(file.getKey());
            try {
                if (!Files.isRegularFile(path)) {
                    return file.getKey() + " is missing";
                }
                long size = Files.size(path);
                if (file.getValue() >= 0 && size != file.getValue()) {
                    return file.getKey() + " has " + size + " bytes, " + file.getValue() + " when written";
                }
            } catch (IOException e) {
                return file.getKey() + " cannot be read";
            }
        }
        return null;
    }

    /** The {@code DONE} marker: the byte size of each file of the checkpoint. */
    record Marker(Map<String, Long> files) {}

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
