package sn37.miner.stage;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.train.torch.JobDir;
import sn37.miner.train.torch.ProgressTail;

/** The trainer's progress events as the DJL path reports its steps: log lines and the stage's progress. */
final class TorchProgress {
    private static final Logger LOG = LoggerFactory.getLogger(TorchProgress.class);

    private final StageContext ctx;
    private final ProgressTail tail;
    private String error;

    TorchProgress(StageContext ctx, JobDir dir, long offset) {
        this.ctx = ctx;
        this.tail = new ProgressTail(dir.progress(), offset);
    }

    /** The trainer's own words for its failure, from its last error event; null when it reported none. */
    String error() {
        return error;
    }

    void read() throws IOException {
        for (JsonNode e : tail.read()) {
            switch (e.path("event").asText()) {
                case "start" -> LOG.info("training job started: {} process{} on {}{}, {}, {} planned steps; {}",
                        e.path("world_size").asInt(), e.path("world_size").asInt() == 1 ? "" : "es",
                        e.path("device").asText(), e.path("gpus").asInt() > 0 ? " (" + e.path("gpus").asInt()
                                + " GPUs " + e.path("gpu_name").asText() + ")" : "", e.path("compute_dtype").asText(),
                        e.path("planned_steps").asInt(), e.path("start").asText());
                case "step" -> step(e);
                case "checkpoint" -> LOG.info("checkpoint {} written at step {}", e.path("dir").asText(),
                        e.path("step").asInt());
                case "epoch" -> LOG.info("epoch {} loss {} (best {})", e.path("epoch").asInt(),
                        String.format("%.6f", e.path("loss").asDouble()),
                        String.format("%.6f", e.path("best_loss").asDouble()));
                case "end" -> LOG.info("training job ended: {} at step {}", e.path("stopped_by").asText(),
                        e.path("step").asInt());
                case "error" -> {
                    error = e.path("message").asText();
                    LOG.warn("training job reported an error: {}", error);
                }
                default -> {
                    // an event this build does not know: the trainer is newer; nothing to show
                }
            }
        }
    }

    private void step(JsonNode e) {
        int step = e.path("step").asInt();
        int total = e.path("total_steps").asInt();
        double loss = e.path("loss").asDouble();
        double tokensPerSecond = e.path("tokens_per_second").asDouble();
        LOG.info("train step {}{} epoch {} loss {} lr {} grad-norm {} tokens {} ({} tok/s)", step,
                total > 0 ? "/" + total : "", e.path("epoch").asInt(), String.format("%.4f", loss),
                String.format("%.3g", e.path("lr").asDouble()), String.format("%.3f", e.path("grad_norm").asDouble()),
                e.path("tokens").asLong(), String.format("%.0f", tokensPerSecond));
        ctx.progress().report(ProgressEvent.step(StageNames.TRAIN, step, total, e.path("epoch").asInt(), loss,
                e.path("lr").asDouble(), e.path("grad_norm").asDouble(), tokensPerSecond));
        ctx.metrics().trainStep(ctx.runId(), RunParams.TORCH, step, loss, tokensPerSecond, e.path("tokens").asLong());
    }
}
