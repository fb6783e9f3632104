package sn37.miner.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes a model directory as transformers 4.44.1's {@code save_pretrained(safe_serialization=True)}
 * does: config.json with {@code architectures}, {@code torch_dtype} and
 * {@code transformers_version}; generation_config.json; the weights split by {@link ShardPlan}
 * into {@code model.safetensors} or numbered shards plus {@code model.safetensors.index.json}
 * ({@code {"metadata": {"total_size": n}, "weight_map": {...}}}). Every JSON file is
 * {@code json.dumps(indent=2, sort_keys=True) + "\n"}, every shard carries
 * {@code __metadata__ {"format":"pt"}}.
 *
 * <p>The whole directory is built beside the target and renamed into place, replacing any
 * previous content: afterwards it is complete, or (after a crash) absent, never partial. The
 * shard boundaries match Python's only if the tensors come in the model's {@code state_dict()}
 * order.
 */
public final class CheckpointWriter {

    /** The transformers version the validators run (finetuning's requirements.txt, Oct 2024). */
    public static final String TRANSFORMERS_VERSION = "4.44.1";

    private CheckpointWriter() {
    }

    /** Writes with the generation config derived from {@code config} and 5 GB shards. */
    public static ShardPlan write(Path dir, ModelConfig config, List<? extends TensorData> stateDict)
            throws IOException {
        return write(dir, config, GenerationConfig.fromModelConfig(config), stateDict,
                ShardPlan.DEFAULT_MAX_SHARD_SIZE);
    }

    /**
     * @param config must name the model class in {@code architectures}; {@code torch_dtype} is set
     *     from the first floating-point tensor, as {@code save_pretrained} sets it from the model
     * @param stateDict tensors in the model's {@code state_dict()} order, each name once
     * @param maxShardSize bytes of tensor data per shard, see {@link ShardPlan#parseSize}
     * @return where each tensor went
     */
    public static ShardPlan write(Path dir, ModelConfig config, GenerationConfig generation,
            List<? extends TensorData> stateDict, long maxShardSize) throws IOException {
        if (config.architectures().isEmpty()) {
            throw new IllegalArgumentException(dir + ": config.json needs 'architectures' naming the model class"
                    + " (validators load architectures[0]), e.g. [\"LlamaForCausalLM\"]");
        }
        ShardPlan plan = ShardPlan.split(stateDict, maxShardSize);
        ModelConfig savedConfig = config.withTransformersVersion(TRANSFORMERS_VERSION);
        for (TensorData tensor : stateDict) {
            if (tensor.dtype().torchName().isPresent()) {
                savedConfig = savedConfig.withTorchDtype(tensor.dtype().torchName().get());
                break;
            }
        }
        byte[] configBytes = savedConfig.toBytes();
        byte[] generationBytes = generation.withTransformersVersion(TRANSFORMERS_VERSION).toBytes();
        AtomicFiles.replaceDirectory(dir, partial -> {
            AtomicFiles.writeAllBytes(partial.resolve(CheckpointDir.CONFIG), configBytes);
            AtomicFiles.writeAllBytes(partial.resolve(CheckpointDir.GENERATION_CONFIG), generationBytes);
            for (ShardPlan.Shard shard : plan.shards()) {
                SafetensorsWriter.write(partial.resolve(shard.fileName()), shard.tensors());
            }
            if (plan.sharded()) {
                AtomicFiles.writeAllBytes(partial.resolve(CheckpointDir.INDEX), indexBytes(plan));
            }
        });
        return plan;
    }

    static byte[] indexBytes(ShardPlan plan) {
        ObjectNode index = ConfigJson.emptyObject();
        index.putObject("metadata").put("total_size", plan.totalSize());
        ObjectNode weightMap = index.putObject("weight_map");
        for (Map.Entry<String, String> entry : plan.weightMap().entrySet()) {
            weightMap.put(entry.getKey(), entry.getValue());
        }
        return ConfigJson.bytes(index);
    }
}
