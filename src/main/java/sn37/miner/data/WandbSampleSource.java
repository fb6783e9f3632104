package sn37.miner.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.util.Sleeper;
import sn37.miner.wandb.WandbException;
import sn37.miner.wandb.WandbPublicApi;
import sn37.miner.wandb.WandbRun;
import sn37.miner.wandb.WandbUnauthorizedException;

/**
 * SN1 multiple-choice rows from the prompting validators' W&B runs, loaded as finetuning's
 * {@code PromptingSubsetLoader} does (reference-miner.md §6.2): list runs oldest first with a Mongo-style filter,
 * keep runs whose hotkey is an SN1 validator and whose signature verifies, scan a step window of each with
 * {@code sampledHistory}, keep {@code multi_choice} rows with a string challenge and a reference in A-D (and within
 * the age window), dedupe by content (the 2024-10-26 loader), and stop at the target. The whole load is tried up to
 * {@code loadAttempts} times; each request up to 3 times. One seed and clock give the same requests, so the same
 * remote data gives the same samples.
 */
public final class WandbSampleSource implements SampleSource {
    private static final Logger LOG = LoggerFactory.getLogger(WandbSampleSource.class);
    /** finetuning @dd6ca5f0 keys: without {@code MultiChoiceRewardModel_rewards}, rows of every task come back. */
    static final List<String> KEYS = List.of("_timestamp", "_step", "task", "challenge", "reference");
    static final String ORDER = "+created_at";
    static final int RUNS_PER_PAGE = 50;
    private static final DateTimeFormatter FILTER_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WandbPublicApi api;
    private final WandbSourceSettings options;
    private final ValidatorCheck validators;
    private final long seed;
    private final Clock clock;
    private final Sleeper sleeper;

    public WandbSampleSource(WandbPublicApi api, WandbSourceSettings options, ValidatorCheck validators, long seed,
            Clock clock, Sleeper sleeper) {
        this.api = api;
        this.options = options;
        this.validators = validators;
        this.seed = seed;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    @Override
    public String describe() {
        return "wandb:" + options.project();
    }

    /**
     * @throws DataSourceException when no validator can be checked, every attempt failed, or no row was kept
     * @throws WandbUnauthorizedException when W&B refuses the key (not retried)
     */
    @Override
    public SampleLoad load() throws IOException {
        validators.requireUsable(describe());
        for (int attempt = 1; ; attempt++) {
            try {
                SampleLoad load = loadOnce(attempt);
                if (load.samples().isEmpty()) {
                    throw new DataSourceException("no valid multiple-choice row in " + describe() + " ("
                            + options.mode().name().toLowerCase() + " mode, seed " + seed + "): " + load.summary()
                            + "; runs: " + load.provenance().get("runsListed") + " listed, skipped "
                            + load.provenance().get("runsSkipped") + ". Try another --seed or --data_source hf");
                }
                return load;
            } catch (WandbUnauthorizedException | InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                if (attempt >= options.loadAttempts()) {
                    throw new DataSourceException("loading SN1 data from " + describe() + " failed " + attempt
                            + " times; last error: " + e.getMessage(), e);
                }
                LOG.warn("loading SN1 data from {} failed (attempt {}/{}): {}; retrying in {} s", describe(), attempt,
                        options.loadAttempts(), e.getMessage(), options.loadRetryWait().toSeconds());
                try {
                    sleeper.sleep(options.loadRetryWait());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting to retry the W&B load");
                }
            }
        }
    }

    private SampleLoad loadOnce(int attempt) throws IOException {
        Random rng = new Random(seed);
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("source", describe());
        provenance.put("mode", options.mode().name().toLowerCase());
        provenance.put("seed", seed);
        String createdAfter = null;
        if (options.mode() == WandbSourceSettings.Mode.HISTORIC) {
            createdAfter = FILTER_TIME.format(randomStart(rng));
            provenance.put("createdAfter", createdAfter);
        }
        String filters = filters(createdAfter);
        Duration maxAge = options.effectiveMaxAge();
        provenance.put("filters", filters);
        provenance.put("maxAgeSeconds", maxAge == null ? null : maxAge.toSeconds());
        provenance.put("signaturesVerified", validators.verifiesSignatures());
        provenance.put("validatorAllowList", validators.hotkeys().size());
        provenance.put("target", options.target());
        provenance.put("attempt", attempt);

        LoadTally tally = new LoadTally(options.target());
        Map<String, Integer> skippedRuns = new LinkedHashMap<>();
        List<Map<String, Object>> scanned = new ArrayList<>();
        int listed = 0;
        if (options.mode() == WandbSourceSettings.Mode.LATEST) {
            List<WandbRun> runs = allRuns(filters);
            listed = runs.size();
            Collections.shuffle(runs, rng);
            for (WandbRun run : runs) {
                if (tally.isFull()) {
                    break;
                }
                scan(run, rng, tally, skippedRuns, scanned, maxAge);
            }
        } else {
            String cursor = null;
            boolean more = true;
            while (more && !tally.isFull()) {
                WandbPublicApi.RunsPage page = api.runs(options.entity(), options.projectName(), filters, ORDER,
                        cursor, RUNS_PER_PAGE);
                for (WandbRun run : page.runs()) {
                    if (tally.isFull()) {
                        break;
                    }
                    listed++;
                    scan(run, rng, tally, skippedRuns, scanned, maxAge);
                }
                more = page.hasNextPage();
                cursor = nextCursor(cursor, page);
            }
        }
        provenance.put("runsListed", listed);
        provenance.put("runsSkipped", skippedRuns);
        provenance.put("runs", scanned);
        return tally.finish(provenance);
    }

    private List<WandbRun> allRuns(String filters) throws IOException {
        List<WandbRun> runs = new ArrayList<>();
        String cursor = null;
        boolean more = true;
        while (more) {
            WandbPublicApi.RunsPage page = api.runs(options.entity(), options.projectName(), filters, ORDER, cursor,
                    RUNS_PER_PAGE);
            runs.addAll(page.runs());
            more = page.hasNextPage();
            cursor = nextCursor(cursor, page);
        }
        return runs;
    }

    private String nextCursor(String previous, WandbPublicApi.RunsPage page) throws IOException {
        if (page.hasNextPage() && page.endCursor().equals(previous)) {
            throw new WandbException("W&B run listing of " + options.project()
                    + " returned the same cursor twice; the server is not paginating");
        }
        return page.endCursor();
    }

    private void scan(WandbRun run, Random rng, LoadTally tally, Map<String, Integer> skippedRuns,
            List<Map<String, Object>> scanned, Duration maxAge) throws IOException {
        Map<String, JsonNode> config;
        try {
            config = run.config();
        } catch (WandbException e) {
            skippedRuns.merge("config not readable", 1, Integer::sum);
            LOG.debug("skipping W&B run {}: {}", run.id(), e.getMessage());
            return;
        }
        String hotkey = textOf(config.get("HOTKEY_SS58"));
        Optional<String> problem = validators.runProblem(run.id(), hotkey, textOf(config.get("SIGNATURE")));
        if (problem.isPresent()) {
            skippedRuns.merge(problem.get(), 1, Integer::sum);
            LOG.debug("skipping W&B run {} (hotkey {}): {}", run.id(), hotkey, problem.get());
            return;
        }
        long last = api.lastHistoryStep(options.entity(), options.projectName(), run.id());
        if (last < 0) {
            skippedRuns.merge("no history", 1, Integer::sum);
            return;
        }
        StepWindow window = options.mode() == WandbSourceSettings.Mode.LATEST
                ? StepWindow.endingAt(last, options.steps())
                : StepWindow.randomEnd(last, options.steps(), rng);
        int keptBefore = tally.kept();
        int rows = 0;
        Instant now = clock.instant();
        for (StepWindow page : window.pages(options.pageSize())) {
            if (tally.isFull()) {
                break;
            }
            List<JsonNode> history = api.sampledHistory(options.entity(), options.projectName(), run.id(), KEYS,
                    page.minStep(), page.endStep(), options.pageSize());
            for (JsonNode row : history) {
                if (tally.isFull()) {
                    break;
                }
                rows++;
                offer(run, hotkey, row, tally, now, maxAge);
            }
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", run.id());
        entry.put("hotkey", hotkey);
        entry.put("minStep", window.minStep());
        entry.put("endStep", window.endStep());
        entry.put("rows", rows);
        entry.put("kept", tally.kept() - keptBefore);
        scanned.add(entry);
    }

    private static void offer(WandbRun run, String hotkey, JsonNode row, LoadTally tally, Instant now,
            Duration maxAge) {
        JsonNode stepNode = row.get("_step");
        String step = stepNode != null && stepNode.isNumber() ? Long.toString(stepNode.asLong()) : "Unknown";
        String where = "run " + run.id() + " step " + step;
        if (!row.isObject()) {
            tally.reject(where, DropReason.NOT_AN_OBJECT, "history row is not a JSON object");
            return;
        }
        JsonNode ts = row.get("_timestamp");
        Instant at = ts != null && ts.isNumber() ? Instant.ofEpochMilli(Math.round(ts.asDouble() * 1000)) : null;
        if (maxAge != null) {
            if (at == null) {
                tally.skip(where, LoadTally.NO_TIMESTAMP, "no numeric _timestamp, so its age is unknown");
                return;
            }
            // finetuning: now - fromtimestamp(_timestamp) > max_run_age drops the row.
            if (Duration.between(at, now).compareTo(maxAge) > 0) {
                tally.skip(where, LoadTally.STALE, "logged at " + at + ", more than " + maxAge + " before " + now);
                return;
            }
        }
        JsonNode task = row.get("task");
        if (task == null || task.isNull()) {
            tally.reject(where, DropReason.NOT_MULTI_CHOICE, "no task field");
            return;
        }
        ObjectNode sample = JSON.createObjectNode();
        sample.set("task", task);
        copy(row, sample, "challenge");
        copy(row, sample, "reference");
        sample.put("id", run.id() + "_" + step);
        sample.put("hotkey", hotkey);
        if (at != null) {
            sample.put("timestamp", at.toString());
        }
        tally.offer(where, sample);
    }

    private static void copy(JsonNode from, ObjectNode to, String field) {
        JsonNode v = from.get(field);
        if (v != null) {
            to.set(field, v);
        }
    }

    /** {@code utils.random_date(EARLIEST_DATE, now - 1 day, seed)}: a whole second in between, seeded. */
    private Instant randomStart(Random rng) {
        Instant earliest = options.earliest().atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant latest = clock.instant().minus(Duration.ofDays(1));
        long seconds = Duration.between(earliest, latest).toSeconds();
        if (seconds <= 0) {
            throw new DataSourceException("historic W&B mode picks a start between " + earliest + " and now - 1 day,"
                    + " but the clock says " + clock.instant() + "; check the system clock");
        }
        return earliest.plusSeconds(rng.nextLong(seconds));
    }

    /** The loader's Mongo-style filter: {@code $and} of the time or state bounds, {@code $or} of the hotkeys. */
    private String filters(String createdAfter) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode and = root.putArray("$and");
        if (createdAfter != null) {
            and.addObject().putObject("createdAt").put("$gte", createdAfter);
        } else {
            and.addObject().put("state", "running");
        }
        if (!validators.hotkeys().isEmpty()) {
            ArrayNode or = root.putArray("$or");
            validators.hotkeys().forEach(h -> or.addObject().put("config.HOTKEY_SS58", h));
        }
        return root.toString();
    }

    private static String textOf(JsonNode v) {
        return v != null && v.isTextual() ? v.textValue() : null;
    }
}
