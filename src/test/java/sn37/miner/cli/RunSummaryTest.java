package sn37.miner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import sn37.miner.util.Json;
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
        assertEquals("3 steps, loss 11.5000 -> 10.9000 (best epoch mean 11.2000), 140 tokens/s on CPU ",
                notes("{" + common + ", \"device\": \"cpu()\", \"trainer\": \"djl\"}") + " ");
        assertEquals("3 steps, loss 11.5000 -> 10.9000 (best epoch mean 11.2000), 140 tokens/s on cuda (NVIDIA H100)"
                + " (torch, local job 4242:77: 8 processes, 8 GPUs, bfloat16)", notes("{" + common + ", \"device\":"
                + " \"cuda (NVIDIA H100)\", \"trainer\": \"torch\", \"launcher\": \"local\", \"jobId\": \"4242:77\","
                + " \"worldSize\": 8, \"gpus\": 8, \"computeDtype\": \"bfloat16\"}"));
    }

    @Test
    void evaluateNotesListEachTasksScoreWeightAndSamplesOrWhyItWasNotScored() throws Exception {
        String tasks = "[{\"name\": \"SYNTHETIC_1_SFT\", \"weight\": 0.5, \"raw\": 2.5, \"samples\": 120},"
                + " {\"name\": \"CODEFORCES_COTS\", \"weight\": 0.5, \"raw\": null, \"samples\": 0,"
                + " \"skipped\": \"no held-out rows\"}]";
        assertEquals("metric 2.5; tasks: SYNTHETIC_1_SFT 2.5000 (weight 0.5, 120 samples), CODEFORCES_COTS not scored"
                + " (weight 0.5): no held-out rows", notes("{\"metric\": 2.5, \"evaluated\": true, \"deviation\": null,"
                + " \"tasks\": " + tasks + "}"));
        assertEquals("metric 0.97; tasks: FINEWEB +inf (weight 0.05, 6 samples)", notes("{\"metric\": 0.97,"
                + " \"evaluated\": true, \"deviation\": null, \"tasks\": [{\"name\": \"FINEWEB\", \"weight\": 0.05,"
                + " \"raw\": \"Infinity\", \"samples\": 6}]}"), "scored, and failed: not skipped");
        assertEquals("metric 0.4 (MC deviation 0.4); tasks: SYNTHETIC_MMLU 0.4000 (weight 1.0, 40 samples)",
                notes("{\"metric\": 0.4, \"evaluated\": true, \"deviation\": 0.4, \"tasks\": [{\"name\":"
                        + " \"SYNTHETIC_MMLU\", \"weight\": 1.0, \"raw\": 0.4, \"samples\": 40}]}"));
        assertEquals("metric 2.5; tasks: WORD_SORTING 2.5000 (weight 1.0, 12 samples, torch bf16)",
                notes("{\"metric\": 2.5, \"evaluated\": true, \"tasks\": [{\"name\": \"WORD_SORTING\","
                        + " \"weight\": 1.0, \"raw\": 2.5, \"samples\": 12, \"backend\": \"torch\"}]}"));
    }

    @Test
    void fetchNotesOfCompetitionFourShowBothSplits() throws Exception {
        assertEquals("read 28 rows (dropped: not exactly two messages 1); train 11 (SYNTHETIC_1_SFT 6, CODEFORCES_COTS 5),"
                + " snapshot sha256 aaaaaaaaaaaa…; held out for evaluation 14 (SYNTHETIC_1_SFT 8, CODEFORCES_COTS 6),"
                + " sha256 bbbbbbbbbbbb…", notes("{\"rowsRead\": 28, \"kept\": 11, \"droppedByReason\":"
                + " {\"not exactly two messages\": 1}, \"snapshotSha256\": \"" + "a".repeat(64) + "\","
                + " \"evalSnapshotSha256\": \"" + "b".repeat(64) + "\", \"trainByTask\": {\"SYNTHETIC_1_SFT\": 6,"
                + " \"CODEFORCES_COTS\": 5}, \"evalByTask\": {\"SYNTHETIC_1_SFT\": 8, \"CODEFORCES_COTS\": 6}}"));
    }

    @Test
    void fetchNotesNameTheFinewebTextsOrWhyThereAreNone() throws Exception {
        String sn1 = "\"rowsRead\": 40, \"kept\": 20, \"droppedByReason\": {}, \"snapshotSha256\": \""
                + "a".repeat(64) + "\", \"evalSnapshotSha256\": \"" + "b".repeat(64) + "\", \"trainByTask\":"
                + " {\"SYNTHETIC_MMLU\": 20}, \"evalByTask\": {\"SYNTHETIC_MMLU\": 20}";
        assertTrue(notes("{" + sn1 + ", \"fineweb\": {\"texts\": 6, \"droppedByReason\": {\"blank text\": 1},"
                + " \"snapshotSha256\": \"" + "c".repeat(64) + "\"}}")
                .endsWith("sha256 bbbbbbbbbbbb…; FINEWEB 6 texts (dropped: blank text 1), sha256 cccccccccccc…"));
        assertTrue(notes("{" + sn1 + ", \"fineweb\": {\"failure\": \"HTTP 403\", \"snapshotSha256\": null}}")
                .endsWith("; FINEWEB texts not drawn: HTTP 403"));
    }

    private static RunReport run(String status, String params, String... stages) throws Exception {
        java.util.List<RunReport.StageView> views = new java.util.ArrayList<>();
        for (int i = 0; i < stages.length; i += 3) {
            views.add(new RunReport.StageView(stages[i], 1, stages[i + 1], null, null, 1.0, null,
                    Json.mapper().readTree(stages[i + 2]), null));
        }
        return new RunReport("r1", "pipeline", status, 1, "CLI", null, Json.mapper().readTree(params), null, null, null,
                false, 0, null, null, null, null, views, java.util.List.of(), java.util.List.of());
    }

    @Test
    void outcomeSeparatesPublishedFromPassedOfflineFromRejected() throws Exception {
        String train = "{\"modelDir\": \"/runs/r1/train/best-model\", \"device\": \"gpu(0)\"}";
        RunReport published = run("SUCCEEDED", "{}", "train", "SUCCEEDED", train, "gate", "SUCCEEDED",
                "{\"passed\": true, \"reason\": \"0.2 < 0.25\"}", "upload", "SUCCEEDED",
                "{\"repo\": \"me/model\", \"commitOid\": \"abc123\"}", "commit", "SUCCEEDED",
                "{\"block\": 4200, \"modelId\": \"me:model:abc123\"}");
        assertEquals("passed, published: me/model at abc123, on chain at block 4200", RunSummary.outcome(published));
        RunReport offline = run("SUCCEEDED", "{\"offline\": true}", "train", "SUCCEEDED", train, "gate", "SUCCEEDED",
                "{\"passed\": true}", "upload", "SKIPPED", "{\"reason\": \"offline: nothing is published\"}");
        assertEquals("passed, not published (offline)", RunSummary.outcome(offline));
        RunReport rejected = run("REJECTED", "{}", "gate", "SUCCEEDED", "{\"passed\": false, \"reason\": \"0.4 >= 0.25\"}");
        assertEquals("rejected: 0.4 >= 0.25", RunSummary.outcome(rejected));

        String text = RunSummary.render(offline, java.nio.file.Path.of("/runs/r1"), java.nio.file.Path.of("/runs/r1/miner.log"));
        assertTrue(text.contains("outcome:    passed, not published (offline)\n"), text);
        assertTrue(text.contains("model:      /runs/r1/train/best-model\n"), text);
        assertTrue(text.contains("run folder: /runs/r1\n") && text.contains("log:        /runs/r1/miner.log\n"), text);
        assertEquals("GPU 0", RunSummary.device("gpu(0)"));
    }
}
