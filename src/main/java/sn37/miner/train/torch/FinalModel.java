package sn37.miner.train.torch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import sn37.miner.model.CheckpointDir;
import sn37.miner.model.CheckpointFormatException;
import sn37.miner.model.CheckpointWriter;
import sn37.miner.model.DeferredFloatTensor;
import sn37.miner.model.Dtype;
import sn37.miner.model.GenerationConfig;
import sn37.miner.model.ModelConfig;
import sn37.miner.model.SafetensorsReader;
import sn37.miner.model.ShardPlan;
import sn37.miner.model.StoredTensor;
import sn37.miner.model.TensorData;
import sn37.miner.model.TensorInfo;
import sn37.miner.model.llama.LlamaConfig;
import sn37.miner.model.llama.ParameterSpec;

/**
 * Turns the trainer's final weights into the model directory the DJL path writes: config.json and
 * generation_config.json from the start model, the tensors in {@code state_dict()} order and {@code dtype}, sharded
 * the same way, by the same {@link CheckpointWriter}. Evaluate, upload and the hashes then see no difference.
 */
public final class FinalModel {
    private FinalModel() {}

    /**
     * @param weights the trainer's model.safetensors (HF names; a tied lm_head left out)
     * @param startModel the model training started from: its config and generation config are kept
     */
    public static void write(Path weights, Path startModel, Path target, Dtype dtype) throws IOException {
        ModelConfig source = ModelConfig.read(startModel.resolve(CheckpointDir.CONFIG));
        LlamaConfig config = LlamaConfig.from(source);
        Path generationFile = startModel.resolve(CheckpointDir.GENERATION_CONFIG);
        ModelConfig saved = source.withArchitectures(List.of(config.architecture()));
        GenerationConfig generation = Files.isRegularFile(generationFile) ? GenerationConfig.read(generationFile)
                : GenerationConfig.fromModelConfig(saved);
        try (SafetensorsReader reader = SafetensorsReader.open(weights)) {
            List<TensorData> tensors = new ArrayList<>();
            for (ParameterSpec spec : config.parameters()) {
                if (!reader.contains(spec.name())) {
                    throw new CheckpointFormatException(weights, "the trained weights lack tensor '" + spec.name()
                            + "' of the start model's architecture");
                }
                TensorInfo info = reader.tensor(spec.name());
                if (!Arrays.equals(info.shape(), spec.shape())) {
                    throw new CheckpointFormatException(weights, "tensor '" + spec.name() + "' has shape "
                            + Arrays.toString(info.shape()) + ", the start model's config needs "
                            + Arrays.toString(spec.shape()));
                }
                tensors.add(info.dtype() == dtype ? new StoredTensor(reader, info)
                        : new DeferredFloatTensor(spec.name(), dtype, spec.shape(), () -> floats(reader, spec.name())));
            }
            CheckpointWriter.write(target, saved, generation, tensors, ShardPlan.DEFAULT_MAX_SHARD_SIZE);
        }
    }

    private static float[] floats(SafetensorsReader reader, String name) {
        try {
            return reader.readFloats(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
