package sn37.miner.stage;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.train.torch.JobDir;

/** The PyTorch trainer's progress.jsonl events become the same progress events as the DJL trainer's steps. */
class TorchProgressTest {
    @TempDir Path dir;

    @Test
    void aStepEventOfTheTrainerIsATrainStepWithLossLrGradNormAndSpeed() throws Exception {
        JobDir job = new JobDir(dir);
        Files.writeString(job.progress(), "{\"event\": \"start\", \"world_size\": 2, \"planned_steps\": 4}\n"
                + "{\"event\": \"step\", \"step\": 3, \"total_steps\": 4, \"epoch\": 1, \"loss\": 2.5, \"lr\": 0.0003,"
                + " \"grad_norm\": 0.75, \"tokens\": 4096, \"tokens_per_second\": 1500.0}\n"
                + "{\"event\": \"step\", \"step\": 4, \"total_steps\": 4", StandardCharsets.UTF_8); // still being written
        List<ProgressEvent> events = new ArrayList<>();
        StageContext ctx = StageContexts.of(RunParams.defaults(), dir).progress(events::add).build();

        new TorchProgress(ctx, job, 0).read();

        assertEquals(List.of(ProgressEvent.step("train", 3, 4, 1, 2.5, 0.0003, 0.75, 1500.0)), events);
    }
}
