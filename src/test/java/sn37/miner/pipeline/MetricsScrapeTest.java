package sn37.miner.pipeline;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.config.Env;
import sn37.miner.util.Json;
import sn37.miner.config.Settings;
import sn37.miner.metrics.GpuMemory;
import sn37.miner.metrics.GrafanaDashboard;
import sn37.miner.metrics.MeterMetrics;
import sn37.miner.metrics.Scrape;
import sn37.miner.stage.BuiltInStages;
import sn37.miner.stage.DjlModelOpener;
import sn37.miner.stage.Evaluate;
import sn37.miner.stage.Stage;
import sn37.miner.stage.StageServices;
import sn37.miner.train.OneTorchThread;

/**
 * The README's offline demo (2 steps) under {@code serve}, then one scrape of the management port: every documented
 * miner_* series is there with the figures of the run record, next to the JVM and process binders' series.
 */
@ExtendWith(OneTorchThread.class)
class MetricsScrapeTest {
    @TempDir Path dir;

    @Test
    void afterTheOfflineDemoTheScrapeHoldsEachMinerSeriesWithTheRunRecordsFigures() throws Exception {
        Settings settings = TestServer.settings(dir, Map.of());
        JsonNode run;
        Scrape s;
        // the real stages; evaluate scores fewer word-sorting samples, and the demo reads 12 questions, to stay quick
        List<Stage> stages = new ArrayList<>();
        for (Stage stage : BuiltInStages.all(settings, Env.of(Map.of()))) {
            stages.add(stage.name().equals("evaluate") ? new Evaluate(StageServices.from(settings, Env.of(Map.of())),
                    new DjlModelOpener(), new Evaluate.ScoringSettings("oct2024", -1, 8, 12)) : stage);
        }
        try (TestServer t = TestServer.start(settings, stages)) {
            String body = "{\"offline\": true, \"init_config\": \"tiny-llama\", \"max_steps\": 2, \"batch_size\": 8,"
                    + " \"accumulation_steps\": 1, \"lr\": 0.003, \"avg_loss_upload_threshold\": 0.99,"
                    + " \"data_limit\": 12}";
            HttpResponse<String> created = t.post("/api/runs", body);
            assertEquals(202, created.statusCode(), created.body());
            String id = Json.mapper().readTree(created.body()).get("runId").asText();
            t.awaitFinished(id, Duration.ofMinutes(3));
            run = Json.mapper().readTree(t.get("/api/runs/" + id).body());
            HttpResponse<String> scrape = t.getManagement("/observe/metrics");
            assertEquals(200, scrape.statusCode());
            s = new Scrape(scrape.body());
        }
        assertEquals("SUCCEEDED", run.get("status").asText(), run.toPrettyString());

        for (String outcome : List.of("succeeded", "rejected", "failed", "cancelled")) {
            assertEquals(outcome.equals("succeeded") ? 1 : 0,
                    s.value("miner_runs_total", "kind=\"pipeline\",outcome=\"" + outcome + "\""), outcome);
        }
        Map<String, JsonNode> outputs = new HashMap<>();
        for (JsonNode stage : run.get("stages")) {
            String name = stage.get("stage").asText();
            outputs.put(name, stage.get("outputs"));
            String labels = "outcome=\"succeeded\",stage=\"" + name + "\"";
            if (stage.get("status").asText().equals("SKIPPED")) {
                assertFalse(s.has("miner_stage_duration_seconds_count", labels), name + " was skipped, not timed");
                continue;
            }
            assertEquals(1, s.value("miner_stage_duration_seconds_count", labels), name);
            double recorded = stage.get("seconds").asDouble();
            assertEquals(recorded, s.value("miner_stage_duration_seconds_sum", labels), 0.5 + recorded / 10, name);
        }

        JsonNode train = outputs.get("train");
        assertEquals(train.get("steps").asInt(), s.value("miner_train_steps_total", "trainer=\"djl\""));
        assertEquals(train.get("tokens").asLong(), s.value("miner_train_tokens_total", "trainer=\"djl\""));
        assertEquals(train.get("lastLoss").asDouble(), s.value("miner_train_loss", "trainer=\"djl\""), 1e-9);
        assertTrue(s.value("miner_train_tokens_per_second", "trainer=\"djl\"") > 0);

        JsonNode eval = outputs.get("evaluate");
        assertEquals(eval.get("metric").asDouble(), s.value("miner_eval_score", ""), 1e-9);
        int scored = 0;
        for (JsonNode task : eval.get("tasks")) {
            if (!task.hasNonNull("raw")) continue;
            scored++;
            assertEquals(task.get("raw").asDouble(), s.value("miner_eval_task_score",
                    "task=\"" + task.get("name").asText() + "\""), 1e-9);
        }
        assertTrue(scored > 0, eval.toPrettyString());

        boolean passed = outputs.get("gate").get("passed").asBoolean();
        assertTrue(passed);
        assertEquals(1, s.value("miner_gate_decisions_total", "decision=\"passed\""));
        assertEquals(0, s.value("miner_gate_decisions_total", "decision=\"rejected\""));
        // offline: upload and commit were SKIPPED, the sweeper never ran
        assertEquals(0, s.value("miner_upload_bytes_total", ""));
        assertTrue(Double.isNaN(s.value("miner_upload_throughput_bytes_per_second", "")));
        for (String outcome : List.of("committed", "unchanged", "failed")) {
            assertEquals(0, s.value("miner_chain_commits_total", "outcome=\"" + outcome + "\""));
        }
        assertEquals(0, s.value("miner_sweeper_retries_total", ""));

        boolean gpu = s.hasSeries(GpuMemory.USED);
        for (String series : MeterMetrics.SERIES) {
            if (series.startsWith("miner_gpu_") && !gpu) continue;
            assertTrue(s.hasSeries(series), series + " missing from the scrape: " + s.names());
        }
        for (String name : GrafanaDashboard.seriesNames()) {
            if (name.startsWith("miner_gpu_") && !gpu) continue;
            assertTrue(s.names().contains(name), GrafanaDashboard.FILE + " queries " + name
                    + ", which the scrape lacks");
        }
        assertEquals(gpu, nvidiaSmiAnswers(), "GPU memory is scraped exactly where nvidia-smi answers");
    }

    private static boolean nvidiaSmiAnswers() {
        try {
            Process p = new ProcessBuilder("nvidia-smi", "-L").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
