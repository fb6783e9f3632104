package sn37.miner.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Hugging Face model directory opened for reading: config.json, an optional
 * generation_config.json, and safetensors weights, either {@code model.safetensors} or
 * {@code model.safetensors.index.json} with the shards its {@code weight_map} names. Checked on
 * open: every shard exists and parses, every indexed tensor is in the shard the index names, no
 * tensor is in two shards and no shard holds a tensor the index leaves out, and every weights
 * file carries the {@code __metadata__ format} that transformers 4.44.1's {@code load_state_dict}
 * requires. Keeps the weight files open until {@link #close()}.
 */
public final class CheckpointDir implements AutoCloseable {

    public static final String CONFIG = "config.json";
    public static final String GENERATION_CONFIG = "generation_config.json";
    public static final String INDEX = "model.safetensors.index.json";
    /** {@code load_state_dict} in transformers 4.44.1 accepts these {@code __metadata__.format} values. */
    private static final Set<String> LOADABLE_FORMATS = Set.of("pt", "tf", "flax", "mlx");
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointDir.class);

    private final Path dir;
    private final ModelConfig config;
    private final GenerationConfig generationConfig;
    private final List<SafetensorsReader> readers;
    private final Map<String, SafetensorsReader> readerByTensor;
    private final boolean sharded;

    private CheckpointDir(Path dir, ModelConfig config, GenerationConfig generationConfig,
            List<SafetensorsReader> readers, Map<String, SafetensorsReader> readerByTensor, boolean sharded) {
        this.dir = dir;
        this.config = config;
        this.generationConfig = generationConfig;
        this.readers = readers;
        this.readerByTensor = readerByTensor;
        this.sharded = sharded;
    }

    public static CheckpointDir open(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, (Files.exists(dir) ? "a file, not a directory"
                    : "no such directory") + " (expected a model directory)");
        }
        Path configFile = dir.resolve(CONFIG);
        if (!Files.isRegularFile(configFile)) {
            throw new CheckpointFormatException(dir, "no " + CONFIG);
        }
        ModelConfig config = ModelConfig.read(configFile);
        Path generationFile = dir.resolve(GENERATION_CONFIG);
        GenerationConfig generation = Files.isRegularFile(generationFile) ? GenerationConfig.read(generationFile) : null;
        Path single = dir.resolve(ShardPlan.SINGLE_FILE);
        Path index = dir.resolve(INDEX);
        List<SafetensorsReader> readers = new ArrayList<>();
        try {
            Map<String, SafetensorsReader> byTensor = new LinkedHashMap<>();
            boolean sharded;
            if (Files.isRegularFile(single)) {
                if (Files.exists(index)) {
                    // from_pretrained also prefers the single file; usually a stale leftover.
                    LOG.warn("{} has both {} and {}; reading {} as transformers does", dir,
                            ShardPlan.SINGLE_FILE, INDEX, ShardPlan.SINGLE_FILE);
                }
                SafetensorsReader reader = openWeights(single, readers);
                reader.tensors().forEach(info -> byTensor.put(info.name(), reader));
                sharded = false;
            } else if (Files.isRegularFile(index)) {
                readShards(dir, index, readers, byTensor);
                sharded = true;
            } else {
                throw new CheckpointFormatException(dir, noWeightsMessage(dir));
            }
            return new CheckpointDir(dir, config, generation, List.copyOf(readers), byTensor, sharded);
        } catch (IOException | RuntimeException e) {
            closeAll(readers, e);
            throw e;
        }
    }

    public Path dir() {
        return dir;
    }

    public ModelConfig config() {
        return config;
    }

    public Optional<GenerationConfig> generationConfig() {
        return Optional.ofNullable(generationConfig);
    }

    public boolean sharded() {
        return sharded;
    }

    /** The weight files: shards in the order transformers loads them (sorted by name). */
    public List<Path> weightFiles() {
        return readers.stream().map(SafetensorsReader::file).toList();
    }

    /** Every tensor: weight files in order, each in data offset order. */
    public List<TensorInfo> tensors() {
        List<TensorInfo> all = new ArrayList<>();
        readers.forEach(reader -> all.addAll(reader.tensors()));
        return all;
    }

    public TensorInfo tensor(String name) {
        return reader(name).tensor(name);
    }

    public float[] readFloats(String name) throws IOException {
        return reader(name).readFloats(name);
    }

    public byte[] readBytes(String name) throws IOException {
        return reader(name).readBytes(name);
    }

    /** The tensor as it is stored, for writing it unchanged. */
    public StoredTensor stored(String name) {
        SafetensorsReader reader = reader(name);
        return new StoredTensor(reader, reader.tensor(name));
    }

    /** Every tensor as stored, in {@link #tensors()} order. */
    public List<StoredTensor> storedTensors() {
        List<StoredTensor> all = new ArrayList<>();
        for (SafetensorsReader reader : readers) {
            reader.tensors().forEach(info -> all.add(new StoredTensor(reader, info)));
        }
        return all;
    }

    /** Sum of all tensor byte lengths, as an index's {@code metadata.total_size} counts it. */
    public long totalSize() {
        return tensors().stream().mapToLong(TensorInfo::byteLength).sum();
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (SafetensorsReader reader : readers) {
            try {
                reader.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private SafetensorsReader reader(String name) {
        SafetensorsReader reader = readerByTensor.get(name);
        if (reader == null) {
            throw new IllegalArgumentException(dir + ": no tensor '" + name + "'");
        }
        return reader;
    }

    private static void readShards(Path dir, Path index, List<SafetensorsReader> readers,
            Map<String, SafetensorsReader> byTensor) throws IOException {
        ObjectNode root = ConfigJson.readObject(index);
        JsonNode weightMap = root.get("weight_map");
        if (weightMap == null || !weightMap.isObject() || weightMap.isEmpty()) {
            throw new CheckpointFormatException(index, "'weight_map' must be a non-empty object of tensor name"
                    + " to shard file name");
        }
        Map<String, String> shardOf = new TreeMap<>(CodePointOrder.INSTANCE);
        for (Map.Entry<String, JsonNode> entry : weightMap.properties()) {
            JsonNode file = entry.getValue();
            if (!file.isTextual() || !isPlainFileName(file.textValue())) {
                // neither the key nor the value is repeated: both are the file's text
                throw new CheckpointFormatException(index, "every weight_map value must be the name of a file in"
                        + " this directory, found " + (file.isTextual() ? "a path or an empty name" : "a non-string"));
            }
            shardOf.put(entry.getKey(), file.textValue());
        }
        // get_checkpoint_shard_files loads sorted(set(weight_map.values())).
        Map<String, SafetensorsReader> shards = new LinkedHashMap<>();
        for (String fileName : new TreeSet<>(shardOf.values())) {
            Path shard = dir.resolve(fileName);
            if (!Files.isRegularFile(shard)) {
                throw new CheckpointFormatException(index, "weight_map names a shard file that is missing from "
                        + dir);
            }
            shards.put(fileName, openWeights(shard, readers));
        }
        for (Map.Entry<String, SafetensorsReader> shard : shards.entrySet()) {
            for (TensorInfo info : shard.getValue().tensors()) {
                SafetensorsReader earlier = byTensor.putIfAbsent(info.name(), shard.getValue());
                if (earlier != null) {
                    throw new CheckpointFormatException(dir, "a tensor appears in both "
                            + earlier.file().getFileName() + " and " + shard.getKey());
                }
                String indexed = shardOf.get(info.name());
                if (indexed == null) {
                    throw new CheckpointFormatException(shard.getValue().file(), "holds a tensor that " + INDEX
                            + " does not list");
                }
            }
        }
        for (Map.Entry<String, String> entry : shardOf.entrySet()) {
            SafetensorsReader shard = shards.get(entry.getValue());
            if (!shard.contains(entry.getKey())) {
                throw new CheckpointFormatException(shard.file(), INDEX + " maps a tensor to this shard that"
                        + " it does not contain");
            }
        }
    }

    private static SafetensorsReader openWeights(Path file, List<SafetensorsReader> opened) throws IOException {
        SafetensorsReader reader = SafetensorsReader.open(file);
        opened.add(reader);
        String format = reader.metadata().map(m -> m.get("format")).orElse(null);
        if (format == null || !LOADABLE_FORMATS.contains(format)) {
            throw new CheckpointFormatException(file, "__metadata__ format is " + (format == null ? "missing"
                    : "not a known one") + "; transformers 4.44.1 loads only files whose format is one of "
                    + new TreeSet<>(LOADABLE_FORMATS) + " (save_pretrained writes \"pt\")");
        }
        return reader;
    }

    private static boolean isPlainFileName(String name) {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0
                && name.indexOf('\\') < 0 && name.indexOf('\0') < 0;
    }

    private static String noWeightsMessage(Path dir) throws IOException {
        List<String> pickles = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.endsWith(".bin") || name.endsWith(".bin.index.json")) {
                    pickles.add(name);
                }
            }
        }
        if (!pickles.isEmpty()) {
            pickles.sort(null);
            return "has only PyTorch .bin weights " + pickles + ": safetensors required; validators reject .bin";
        }
        return "no weights: expected " + ShardPlan.SINGLE_FILE + " or " + INDEX;
    }

    private static void closeAll(List<SafetensorsReader> readers, Exception failure) {
        for (SafetensorsReader reader : readers) {
            try {
                reader.close();
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
    }
}
