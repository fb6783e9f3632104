package sn37.miner.model.llama;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.model.CheckpointDir;
import sn37.miner.model.CheckpointFormatException;
import sn37.miner.model.CheckpointWriter;
import sn37.miner.model.Dtype;
import sn37.miner.model.DeferredFloatTensor;
import sn37.miner.model.GenerationConfig;
import sn37.miner.model.ModelConfig;
import sn37.miner.model.ShardPlan;
import sn37.miner.model.TensorInfo;

/**
 * Moves a {@link LlamaModel}'s parameters between Hugging Face directories and the device:
 * loading (F32, F16 or BF16 safetensors, widened to F32 because DJL cannot hold BF16), fresh
 * initialisation as transformers' {@code _init_weights} does it, and saving in a chosen dtype in
 * {@code state_dict()} order so the shards match what {@code save_pretrained} writes.
 */
public final class LlamaWeights {

    private static final Logger LOG = LoggerFactory.getLogger(LlamaWeights.class);

    private LlamaWeights() {
    }

    /** Reads config.json and every weight of a model directory onto {@code device}. */
    public static LlamaModel load(Path dir, Device device) throws IOException {
        try (CheckpointDir checkpoint = CheckpointDir.open(dir)) {
            LlamaConfig config = LlamaConfig.from(checkpoint.config());
            check(checkpoint, config);
            return build(config, device, spec -> checkpoint.readFloats(spec.name()));
        }
    }

    /**
     * A fresh model as transformers initialises one: linear and embedding weights from
     * N(0, initializer_range), biases 0, norm weights 1. Java's seeded generator makes it the
     * same on every machine (not the same numbers as torch's generator).
     */
    public static LlamaModel initialize(LlamaConfig config, long seed, Device device) {
        SplittableRandom random = new SplittableRandom(seed);
        float std = (float) config.initializerRange();
        return buildUnchecked(config, device, spec -> {
            float[] values = new float[Math.toIntExact(spec.elementCount())];
            if (spec.name().endsWith("norm.weight")) {
                Arrays.fill(values, 1f);
            } else if (!spec.name().endsWith(".bias")) {
                SplittableRandom stream = random.split();
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (stream.nextGaussian() * std);
                }
            }
            return values;
        });
    }

    /** Where parameter values come from: float32, row-major, {@code spec.elementCount()} of them. */
    public interface Values {
        float[] of(ParameterSpec spec) throws IOException;
    }

    private static LlamaModel buildUnchecked(LlamaConfig config, Device device, Function<ParameterSpec, float[]> values) {
        try {
            return build(config, device, values::apply);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Builds a model on {@code device} from values given per parameter. */
    public static LlamaModel build(LlamaConfig config, Device device, Values values) throws IOException {
        NDManager manager = NDManager.newBaseManager(device);
        try (NoGrad ignored = NoGrad.enter()) {
            Map<String, NDArray> parameters = new LinkedHashMap<>();
            for (ParameterSpec spec : config.parameters()) {
                NDArray array = manager.create(values.of(spec), new Shape(spec.shape()));
                array.setName(spec.name());
                parameters.put(spec.name(), array);
            }
            return new LlamaModel(config, manager, parameters);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Writes the model as an HF directory whose tensors are {@code dtype} (F32, F16, or BF16 rounded
     * to nearest even), with {@code architectures} and {@code torch_dtype} set, replacing {@code dir}
     * atomically.
     *
     * @param generation the generation config to keep, or null to derive it from config.json
     */
    public static void save(LlamaModel model, Path dir, Dtype dtype, GenerationConfig generation) throws IOException {
        List<DeferredFloatTensor> tensors = tensors(model, dtype);
        ModelConfig config = model.config().source().withArchitectures(List.of(model.config().architecture()));
        CheckpointWriter.write(dir, config, generation != null ? generation : GenerationConfig.fromModelConfig(config),
                tensors, ShardPlan.DEFAULT_MAX_SHARD_SIZE);
    }

    /**
     * The parameters in {@code state_dict()} order, to be stored as {@code dtype}, each copied to the host (LoRA
     * adapters merged into it) only when it is written.
     */
    public static List<DeferredFloatTensor> tensors(LlamaModel model, Dtype dtype) {
        List<DeferredFloatTensor> tensors = new ArrayList<>();
        for (Map.Entry<String, NDArray> entry : model.parameters().entrySet()) {
            String name = entry.getKey();
            tensors.add(new DeferredFloatTensor(name, dtype, entry.getValue().getShape().getShape(),
                    () -> model.savedWeight(name)));
        }
        return tensors;
    }

    /** Every expected tensor present with its shape and a float dtype, and nothing unknown besides. */
    public static void check(CheckpointDir checkpoint, LlamaConfig config) throws CheckpointFormatException {
        Map<String, TensorInfo> stored = checkpoint.tensors().stream()
                .collect(Collectors.toMap(TensorInfo::name, t -> t, (a, b) -> a, LinkedHashMap::new));
        List<String> missing = new ArrayList<>();
        for (ParameterSpec spec : config.parameters()) {
            TensorInfo info = stored.remove(spec.name());
            if (info == null) {
                missing.add(spec.name());
            } else if (!Arrays.equals(info.shape(), spec.shape())) {
                throw new CheckpointFormatException(checkpoint.dir(), "tensor '" + spec.name() + "' has shape "
                        + Arrays.toString(info.shape()) + " but config.json implies " + Arrays.toString(spec.shape()));
            } else if (!info.dtype().holdsFloats()) {
                throw new CheckpointFormatException(checkpoint.dir(), "tensor '" + spec.name() + "' is "
                        + info.dtype() + "; expected F32, F16 or BF16");
            }
        }
        if (!missing.isEmpty()) {
            throw new CheckpointFormatException(checkpoint.dir(), missing.size() + " tensor(s) missing for "
                    + config.architecture() + ", e.g. " + missing.subList(0, Math.min(3, missing.size())));
        }
        if (config.tieWordEmbeddings() && stored.remove("lm_head.weight") != null) {
            LOG.warn("{}: lm_head.weight is ignored: tie_word_embeddings makes the head the embedding, as"
                    + " transformers does", checkpoint.dir());
        }
        // Buffers older transformers versions saved; from_pretrained ignores them too.
        stored.keySet().removeIf(name -> name.endsWith(".rotary_emb.inv_freq"));
        if (!stored.isEmpty()) {
            // their names are the files' text, so only the count is told
            throw new CheckpointFormatException(checkpoint.dir(), stored.size() + " tensor(s) that "
                    + config.architecture() + " with this config.json does not have (is 'architectures' right?)");
        }
    }
}
