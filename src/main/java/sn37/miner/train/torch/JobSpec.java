package sn37.miner.train.torch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import sn37.miner.util.Json;
import sn37.miner.train.ChatExample;
import sn37.miner.train.TrainSettings;

/**
 * What one job trains: job.json and examples.jsonl in the format trainer/README.md defines. The hyper-parameters
 * are the DJL trainer's {@link TrainSettings} field for field (warm-up -1 is resolved by the trainer exactly as
 * {@link TrainSettings#schedule} does), so both trainers run the same schedule on the same data order.
 *
 * @param modelDir the start model as the job's nodes see it
 * @param padId the padding id: the EOS id, as the DJL trainer pads
 * @param loraAlpha PEFT's lora_alpha (0 when {@code loraRank} is 0)
 * @param saveDtype bfloat16, float16 or float32: the final weights' dtype
 */
public record JobSpec(Path modelDir, long padId, TrainSettings config, int loraRank, double loraAlpha,
        String saveDtype) {
    public static final int FORMAT = 1;

    /** Writes both files, each complete or absent (temp file renamed into place). */
    public void write(JobDir job, List<ChatExample> examples) throws IOException {
        Files.createDirectories(job.dir());
        Path partial = job.examples().resolveSibling(JobDir.EXAMPLES + ".tmp");
        try (BufferedWriter out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            for (ChatExample e : examples) {
                ObjectNode line = Json.mapper().createObjectNode();
                ArrayNode ids = line.putArray("ids");
                for (long id : e.ids()) ids.add(id);
                line.put("prompt_length", e.promptLength());
                out.write(Json.mapper().writeValueAsString(line));
                out.write('\n');
            }
        }
        Files.move(partial, job.examples(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Path jobPartial = job.job().resolveSibling(JobDir.JOB + ".tmp");
        Files.write(jobPartial, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(json()));
        Files.move(jobPartial, job.job(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    ObjectNode json() {
        ObjectNode job = Json.mapper().createObjectNode();
        job.put("format", FORMAT);
        job.put("examples", JobDir.EXAMPLES);
        job.put("model_dir", modelDir.toAbsolutePath().toString());
        job.put("checkpoint_dir", JobDir.CHECKPOINTS);
        job.put("progress", JobDir.PROGRESS);
        job.put("result_dir", JobDir.RESULT_DIR);
        job.put("stop_file", JobDir.STOP);
        job.put("pad_id", padId);
        ObjectNode t = job.putObject("train");
        t.put("lr", config.lr());
        t.put("weight_decay", config.weightDecay());
        t.put("beta1", config.beta1());
        t.put("beta2", config.beta2());
        t.put("eps", config.eps());
        t.put("accumulation_steps", config.accumulationSteps());
        t.put("batch_size", config.batchSize());
        t.put("num_epochs", config.numEpochs());
        t.put("max_steps", config.maxSteps());
        t.put("checkpoint_every", config.checkpointEvery());
        t.put("seed", config.seed());
        t.put("max_grad_norm", config.maxGradNorm());
        t.put("warmup_steps", config.warmupSteps());
        t.put("min_lr_ratio", config.minLrRatio());
        t.put("sequence_length", config.sequenceLength());
        t.put("keep_checkpoints", config.keepCheckpoints());
        t.put("lora_rank", loraRank);
        t.put("lora_alpha", loraAlpha);
        // auto: bfloat16 on CUDA, float32 on CPU (where bf16 matmuls are slow and the DJL trainer is float32)
        job.put("compute_dtype", "auto");
        job.put("save_dtype", saveDtype);
        job.put("gradient_checkpointing", true);
        job.put("fsdp", true);
        return job;
    }
}
