package sn37.miner.train.torch;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import sn37.miner.util.Json;
import sn37.miner.train.TrainResult;

/**
 * The trainer's final/result.json (trainer/README.md): what the job did, as the DJL trainer's {@link TrainResult}
 * says it, plus what it ran on.
 *
 * @param lastCheckpoint the checkpoint written last, relative to the job directory
 * @param device cpu or cuda
 * @param peakMemoryBytes the largest rank's peak: CUDA memory allocated on GPUs, RSS on CPU
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TorchResult(
        @JsonProperty("steps") int steps,
        @JsonProperty("tokens") long tokens,
        @JsonProperty("examples") int examples,
        @JsonProperty("epoch_losses") List<Double> epochLosses,
        @JsonProperty("step_losses") List<Double> stepLosses,
        @JsonProperty("best_loss") Double bestLoss,
        @JsonProperty("first_loss") Double firstLoss,
        @JsonProperty("last_loss") Double lastLoss,
        @JsonProperty("tokens_per_second") double tokensPerSecond,
        @JsonProperty("stopped_by") String stoppedBy,
        @JsonProperty("resumed_from_step") Integer resumedFromStep,
        @JsonProperty("planned_steps") int plannedSteps,
        @JsonProperty("start") String start,
        @JsonProperty("last_checkpoint") String lastCheckpoint,
        @JsonProperty("world_size") int worldSize,
        @JsonProperty("device") String device,
        @JsonProperty("gpus") int gpus,
        @JsonProperty("gpu_name") String gpuName,
        @JsonProperty("compute_dtype") String computeDtype,
        @JsonProperty("peak_memory_bytes") Long peakMemoryBytes) {

    public TorchResult {
        epochLosses = epochLosses == null ? List.of() : List.copyOf(epochLosses);
        stepLosses = stepLosses == null ? List.of() : List.copyOf(stepLosses);
    }

    public static TorchResult read(Path file) throws IOException {
        return Json.mapper().readValue(file.toFile(), TorchResult.class);
    }

    /** A stop request ended a run with a planned length before it got there: a new job continues it. */
    public boolean stoppedEarly() {
        return TrainResult.STOP_REQUESTED.equals(stoppedBy) && plannedSteps > 0 && steps < plannedSteps;
    }
}
