package sn37.miner.metrics;

import static org.junit.jupiter.api.Assertions.*;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class MeterMetricsTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MeterMetrics metrics = new MeterMetrics(registry);

    private Scrape scrape() {
        return new Scrape(registry.scrape());
    }

    @Test
    void fixedLabelSeriesStartAtZeroAndAGaugeWithNothingMeasuredIsNaN() {
        Scrape s = scrape();
        for (String outcome : List.of("succeeded", "rejected", "failed", "cancelled")) {
            assertEquals(0, s.value("miner_runs_total", "kind=\"pipeline\",outcome=\"" + outcome + "\""));
        }
        assertEquals(0, s.value("miner_gate_decisions_total", "decision=\"passed\""));
        assertEquals(0, s.value("miner_chain_commits_total", "outcome=\"unchanged\""));
        assertEquals(0, s.value("miner_upload_bytes_total", ""));
        assertEquals(0, s.value("miner_sweeper_retries_total", ""));
        assertTrue(Double.isNaN(s.value("miner_upload_throughput_bytes_per_second", "")));
    }

    @Test
    void everyScrapedMinerSeriesIsOneOfTheListedSeriesAndEachListedOneButGpuAppearsOnceReported() {
        metrics.runFinished("r1", "gate", "succeeded");
        metrics.stageFinished("train", "succeeded", Duration.ofMillis(1500));
        metrics.trainStep("r1", "torch", 1, 2.5, 100, 64);
        metrics.taskScored("MMLU", 0.4);
        metrics.evaluated(0.3);
        metrics.gateDecided(false);
        metrics.uploaded(1000, Duration.ofSeconds(4));
        metrics.chainCommit("committed");
        metrics.sweeperRetry();
        Scrape s = scrape();
        Set<String> scraped = new TreeSet<>();
        for (String n : s.names()) {
            if (n.startsWith("miner_")) scraped.add(n.replaceAll("_(count|sum|max)$", ""));
        }
        Set<String> listedButGpu = new TreeSet<>(MeterMetrics.SERIES);
        listedButGpu.removeAll(List.of(GpuMemory.USED, GpuMemory.TOTAL));
        assertEquals(listedButGpu, scraped);

        assertEquals(1, s.value("miner_runs_total", "kind=\"gate\",outcome=\"succeeded\""));
        assertEquals(1, s.value("miner_stage_duration_seconds_count", "outcome=\"succeeded\",stage=\"train\""));
        assertEquals(1.5, s.value("miner_stage_duration_seconds_sum", "outcome=\"succeeded\",stage=\"train\""), 1e-9);
        assertEquals(2.5, s.value("miner_train_loss", "trainer=\"torch\""));
        assertEquals(100, s.value("miner_train_tokens_per_second", "trainer=\"torch\""));
        assertEquals(0.4, s.value("miner_eval_task_score", "task=\"MMLU\""));
        assertEquals(0.3, s.value("miner_eval_score", ""));
        assertEquals(1, s.value("miner_gate_decisions_total", "decision=\"rejected\""));
        assertEquals(1000, s.value("miner_upload_bytes_total", ""));
        assertEquals(250, s.value("miner_upload_throughput_bytes_per_second", ""), 1e-9);
        assertEquals(1, s.value("miner_chain_commits_total", "outcome=\"committed\""));
        assertEquals(1, s.value("miner_sweeper_retries_total", ""));
    }

    @Test
    void tokensAreCountedOncePerStepAcrossRunsAndNotForTheFirstStepAfterAResume() {
        metrics.trainStep("a", "djl", 1, 3.0, 10, 100);
        metrics.trainStep("a", "djl", 2, 2.0, 10, 250);
        metrics.trainStep("b", "djl", 1, 3.0, 10, 40); // another run, from scratch
        metrics.trainStep("a", "djl", 3, 1.0, 10, 300);
        metrics.runFinished("a", "pipeline", "succeeded");
        // run c resumed at step 5 with 500 tokens before it: only what it trains from step 6 on counts
        metrics.trainStep("c", "djl", 5, 1.0, 10, 600);
        metrics.trainStep("c", "djl", 6, 1.0, 10, 700);
        Scrape s = scrape();
        assertEquals(300 + 40 + 100, s.value("miner_train_tokens_total", "trainer=\"djl\""));
        assertEquals(6, s.value("miner_train_steps_total", "trainer=\"djl\""));
        assertEquals(1.0, s.value("miner_train_loss", "trainer=\"djl\""));
    }

    @Test
    void anUploadThatTookNoMeasurableTimeKeepsTheLastThroughput() {
        metrics.uploaded(800, Duration.ofSeconds(2));
        metrics.uploaded(50, Duration.ZERO);
        Scrape s = scrape();
        assertEquals(400, s.value("miner_upload_throughput_bytes_per_second", ""), 1e-9);
        assertEquals(850, s.value("miner_upload_bytes_total", ""));
    }
}
