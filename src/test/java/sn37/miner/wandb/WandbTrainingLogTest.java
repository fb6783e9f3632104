package sn37.miner.wandb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import sn37.miner.util.Secret;
import sn37.miner.fake.FakeWandb;
import sn37.miner.fake.FakeWandbLoggedRun;

/** The miner's W&B run: UpsertBucket with the reference's config, history over file_stream, failures reported once. */
class WandbTrainingLogTest {
    private static final String KEY = "wandb-log-key-0123456789";
    private static final MinerRunConfig CONFIG =
            new MinerRunConfig(17, "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", "2024-10-07_12-00-00", "0.1.0");

    private FakeWandb fake;
    private final List<Duration> sleeps = new ArrayList<>();
    private ListAppender<ILoggingEvent> logged;
    private Logger logger;

    @BeforeEach
    void start() throws IOException {
        fake = FakeWandb.start(KEY);
        logger = (Logger) LoggerFactory.getLogger(WandbTrainingLog.class);
        logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void stop() {
        logger.detachAppender(logged);
        fake.close();
    }

    private TrainingLog open(String key) {
        return TrainingLogs.open(false, "sn37-miner", "finetune", fake.baseUrl(), Optional.of(Secret.of(key)), CONFIG,
                Clock.fixed(Instant.parse("2024-10-07T12:00:00Z"), ZoneOffset.UTC), new OkHttpClient(), sleeps::add,
                Duration.ofSeconds(30));
    }

    private long warnings() {
        return logged.list.stream().filter(e -> e.getLevel() == Level.WARN).count();
    }

    @Test
    void createsTheRunWithTheReferenceConfigAndStreamsOneRowPerStep() {
        TrainingLog log = open(KEY);
        log.step(1, Map.of("loss", 2.5, "n_batches", 32.0));
        log.step(2, Map.of("loss", 2.25));
        log.step(2, Map.of("n_batches", 64.0));
        log.step(3, Map.of("eval_score", 0.625));
        log.finish();

        FakeWandbLoggedRun run = fake.loggedRun("sn37-miner/finetune/" + ((WandbTrainingLog) log).runId());
        assertNotNull(run, "the run was upserted under its 8-character id");
        assertTrue(((WandbTrainingLog) log).runId().matches("[a-z0-9]{8}"));
        assertEquals("2024-10-07_12-00-00", run.displayName());
        JsonNode config = FakeWandbParse.json(run.configJson());
        assertEquals(17, config.path("uid").path("value").asInt());
        assertEquals(CONFIG.hotkey(), config.path("hotkey").path("value").asText());
        assertEquals("2024-10-07_12-00-00", config.path("run_name").path("value").asText());
        assertEquals("0.1.0", config.path("version").path("value").asText());
        assertEquals("miner", config.path("type").path("value").asText());

        List<JsonNode> history = run.history();
        assertEquals(List.of(1L, 2L, 3L), history.stream().map(h -> h.get("_step").asLong()).toList());
        assertEquals(2.25, history.get(1).get("loss").asDouble());
        assertEquals(64.0, history.get(1).get("n_batches").asDouble(), "metrics of one step share one row");
        assertEquals(0.625, history.get(2).get("eval_score").asDouble());
        assertTrue(history.get(0).has("_timestamp") && history.get(0).has("_runtime"));
        JsonNode summary = run.summary();
        assertEquals(2.25, summary.get("loss").asDouble());
        assertEquals(0.625, summary.get("eval_score").asDouble());
        assertEquals(3, summary.get("_step").asLong());
        assertTrue(run.complete());
        assertEquals(0, run.exitCode());
        assertTrue(fake.violations().isEmpty(), fake.violations().toString());
    }

    @Test
    void retriesAFailedFileStreamPostWithTheSameOffset() {
        fake.fail(FakeWandb.FILE_STREAM, 503, 2);
        TrainingLog log = open(KEY);
        log.step(1, Map.of("loss", 1.0));
        log.step(2, Map.of("loss", 0.5));
        log.finish();
        FakeWandbLoggedRun run = fake.loggedRuns().get(0);
        assertEquals(2, run.history().size());
        assertTrue(run.complete());
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), sleeps);
        assertEquals(0, warnings());
    }

    @Test
    void aFailureIsReportedOnceAndThenNothingIsSent() {
        TrainingLog log = open("wrong-key");
        for (int step = 1; step <= 5; step++) {
            log.step(step, Map.of("loss", 1.0 / step));
        }
        log.finish();
        assertEquals(1, fake.requests(), "only the refused UpsertBucket reached the server");
        assertEquals(1, warnings());
        String warning = logged.list.get(logged.list.size() - 1).getFormattedMessage();
        assertTrue(warning.contains("WANDB_API_KEY"), warning);
        assertFalse(warning.contains("wrong-key"), "the key must never be logged");
    }

    @Test
    void aLostServerMidRunDoesNotReachTheCaller() {
        TrainingLog log = open(KEY);
        log.step(1, Map.of("loss", 1.0));
        fake.close();
        log.step(2, Map.of("loss", 0.9));
        log.step(3, Map.of("loss", 0.8));
        log.finish();
        log.step(4, Map.of("loss", 0.7));
        assertEquals(1, warnings());
    }

    @Test
    void nanLossIsSentAsWandbWritesIt() {
        TrainingLog log = open(KEY);
        log.step(1, Map.of("loss", Double.NaN));
        log.finish();
        String line = fake.loggedRuns().get(0).lines("wandb-history.jsonl").get(0);
        assertTrue(line.contains("\"loss\":NaN"), line);
    }

    @Test
    void offlineOrWithoutEntityAndProjectLogsNothing() {
        Clock clock = Clock.systemUTC();
        Optional<Secret> key = Optional.of(Secret.of(KEY));
        assertSame(TrainingLog.noop(), TrainingLogs.open(true, "e", "p", fake.baseUrl(), key, CONFIG, clock));
        assertSame(TrainingLog.noop(), TrainingLogs.open(false, null, null, fake.baseUrl(), key, CONFIG, clock));
        assertSame(TrainingLog.noop(),
                TrainingLogs.open(false, "e", "p", fake.baseUrl(), Optional.empty(), CONFIG, clock));
        assertEquals(0, fake.requests());
    }
}
