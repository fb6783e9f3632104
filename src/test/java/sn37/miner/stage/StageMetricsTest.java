package sn37.miner.stage;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.eval.TaskScore;
import sn37.miner.metrics.MinerMetrics;
import sn37.miner.publish.PublishedModel;
import sn37.miner.train.torch.JobDir;

/** Which figures each stage's outputs give the metrics, and the PyTorch trainer's steps as they are read. */
class StageMetricsTest {
    @TempDir Path dir;

    /** Every report as one line. */
    static final class Recorded implements MinerMetrics {
        final List<String> lines = new ArrayList<>();

        @Override
        public void stageFinished(String stage, String outcome, Duration took) {
            lines.add("stage " + stage + " " + outcome + " " + took.toMillis());
        }

        @Override
        public void trainStep(String runId, String trainer, int step, double loss, double tokensPerSecond,
                long tokensSoFar) {
            lines.add("step " + runId + " " + trainer + " " + step + " " + loss + " " + tokensPerSecond + " " + tokensSoFar);
        }

        @Override
        public void taskScored(String task, double score) {
            lines.add("task " + task + " " + score);
        }

        @Override
        public void evaluated(double score) {
            lines.add("score " + score);
        }

        @Override
        public void gateDecided(boolean passed) {
            lines.add("gate " + passed);
        }

        @Override
        public void uploaded(long bytes, Duration took) {
            lines.add("upload " + bytes + " " + took.toMillis());
        }

        @Override
        public void chainCommit(String outcome) {
            lines.add("commit " + outcome);
        }
    }

    private static Evaluate.Output evaluation(double metric, List<TaskScore> tasks) {
        return new Evaluate.Output(metric, Double.isFinite(metric), null, "m", 2, "oct2024", 0, "bfloat16", null,
                tasks, null, 0, 0, 0, 1, 0, null, null, null, null, null, null);
    }

    private static PublishedModel published(long bytes, boolean reused) {
        return new PublishedModel("ns/m", "c0ffee", "url", "h", "s", "hk", "id", 2, Map.of(), List.of(), List.of(),
                bytes, bytes, reused);
    }

    @Test
    void eachStagesOutputsGiveItsFiguresAndNothingElse() {
        Recorded m = new Recorded();
        Duration d = Duration.ofMillis(2000);
        StageMetrics.succeeded(m, "evaluate", evaluation(0.25, List.of(
                new TaskScore("MMLU", 0.9, 0.9, 0.4, 0.4, 0.36, 40, null, "djl"),
                new TaskScore("WORD_SORTING", 0.05, 0, null, null, null, 0, "no samples", null))), d);
        StageMetrics.succeeded(m, "evaluate", evaluation(Double.POSITIVE_INFINITY, List.of()), d);
        StageMetrics.succeeded(m, "gate", new Gate.Output(0.25, 0.3, true, "threshold", "ok"), d);
        StageMetrics.succeeded(m, "upload", published(4096, false), d);
        StageMetrics.succeeded(m, "upload", published(4096, true), d);
        StageMetrics.succeeded(m, "commit", new Commit.Output(7, "id", "0xab", true, false, "hk", 37, "ns/m"), d);
        StageMetrics.succeeded(m, "commit", new Commit.Output(7, "id", null, false, true, "hk", 37, "ns/m"), d);
        StageMetrics.ended(m, "commit", "failed", d);
        StageMetrics.ended(m, "commit", "cancelled", d);
        StageMetrics.ended(m, "upload", "failed", d);
        assertEquals(List.of("stage evaluate succeeded 2000", "score 0.25", "task MMLU 0.4",
                "stage evaluate succeeded 2000",
                "stage gate succeeded 2000", "gate true",
                "stage upload succeeded 2000", "upload 4096 2000",
                "stage upload succeeded 2000",
                "stage commit succeeded 2000", "commit committed",
                "stage commit succeeded 2000", "commit unchanged",
                "stage commit failed 2000", "commit failed",
                "stage commit cancelled 2000",
                "stage upload failed 2000"), m.lines);
    }

    @Test
    void thePyTorchTrainersStepEventsReachTheMetricsAsTorchSteps() throws Exception {
        Recorded m = new Recorded();
        JobDir job = new JobDir(dir);
        Files.writeString(job.progress(), "{\"event\": \"start\", \"world_size\": 1}\n"
                + "{\"event\": \"step\", \"step\": 3, \"total_steps\": 8, \"epoch\": 0, \"loss\": 1.5, \"lr\": 0.001,"
                + " \"grad_norm\": 0.5, \"tokens\": 900, \"tokens_per_second\": 120.0}\n");
        StageContext ctx = StageContexts.of(RunParams.defaults(), dir).metrics(m).build();
        new TorchProgress(ctx, job, 0).read();
        assertEquals(List.of("step run-1 torch 3 1.5 120.0 900"), m.lines);
    }
}
