package sn37.miner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import sn37.miner.config.Json;
import sn37.miner.run.RunReport;

class RunSummaryTest {
    private static String notes(String outputs) throws Exception {
        return RunSummary.notes(new RunReport.StageView("train", 1, "SUCCEEDED", null, null, 1.0, null,
                Json.mapper().readTree(outputs), null));
    }

    @Test
    void trainNotesSayWhatTheTorchJobRanOn() throws Exception {
        String common = "\"steps\": 3, \"firstLoss\": 11.5, \"lastLoss\": 10.9, \"bestLoss\": 11.2, \"tokensPerSecond\":"
                + " 140, \"stepLosses\": [11.5, 11.2, 10.9]";
        assertEquals("3 steps, loss 11.5000 -> 10.9000 (best epoch mean 11.2000), 140 tokens/s on cpu() ",
                notes("{" + common + ", \"device\": \"cpu()\", \"trainer\": \"djl\"}") + " ");
        assertEquals("3 steps, loss 11.5000 -> 10.9000 (best epoch mean 11.2000), 140 tokens/s on cuda (NVIDIA H100)"
                + " (torch, local job 4242:77: 8 processes, 8 GPUs, bfloat16)", notes("{" + common + ", \"device\":"
                + " \"cuda (NVIDIA H100)\", \"trainer\": \"torch\", \"launcher\": \"local\", \"jobId\": \"4242:77\","
                + " \"worldSize\": 8, \"gpus\": 8, \"computeDtype\": \"bfloat16\"}"));
    }
}
