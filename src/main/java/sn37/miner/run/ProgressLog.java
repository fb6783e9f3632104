package sn37.miner.run;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The progress events of runs, numbered per run ({@code seq}) and written in the background in small batches, so a
 * training step never waits on the database. What is kept (the rule is stated once, here and in V4's comment):
 * <ul>
 *   <li>every event that must be kept each time (training steps), the first event of a stage, a count that starts
 *       again, and the event that completes the work;
 *   <li>of the others, at most one per {@link #SAMPLE_EVERY} per run and stage: the latest one when that time is up;
 *   <li>once a run's stage holds more than {@link #KEEP_PER_STAGE} rows, every second of its older rows (all but the
 *       first and the newest {@link #KEEP_NEWEST}) is deleted: a long run keeps the curve's shape and recent detail.
 * </ul>
 * Readers are woken when a batch lands ({@link #awaitChange}); {@link #flush} writes a run's events at once (the
 * runner calls it before it records a stage's end, so a finished run's events are all readable).
 */
public final class ProgressLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressLog.class);
    public static final int KEEP_PER_STAGE = 2000;
    static final int KEEP_NEWEST = 500;
    static final Duration SAMPLE_EVERY = Duration.ofMillis(250);
    private static final long WRITE_EVERY_MS = 200;

    /** A stored event; {@code eventJson} is the event as its stage reported it. */
    public record Entry(long seq, Instant at, String stage, String eventJson) {}

    private record Row(String runId, long seq, String stage, Instant at, String json) {}

    private record Pending(String json, Instant at) {}

    /** Sampling state of one run's stage. */
    private static final class Lane {
        long keptNanos;
        long lastDone = Long.MIN_VALUE;
        Pending pending;
    }

    private final Sql sql;
    private final Clock clock;
    private final LongSupplier nanos;
    private final ScheduledExecutorService writer;
    private final Map<String, Lane> lanes = new HashMap<>();
    private final Map<String, Long> lastSeq = new HashMap<>();
    private final List<Row> queue = new ArrayList<>();
    private final Object writeLock = new Object();
    private final Object changed = new Object();
    private long version;
    private boolean failing;

    public ProgressLog(DataSource ds) {
        this(ds, Clock.systemUTC(), System::nanoTime);
    }

    /** @param nanos a monotonic clock for the sampling interval */
    ProgressLog(DataSource ds, Clock clock, LongSupplier nanos) {
        this.sql = new Sql(ds);
        this.clock = clock;
        this.nanos = nanos;
        this.writer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "progress-writer");
            t.setDaemon(true);
            return t;
        });
        writer.scheduleWithFixedDelay(() -> write(null), WRITE_EVERY_MS, WRITE_EVERY_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * Queues one event of {@code runId}'s {@code stage}.
     *
     * @param keepEach true for events that are all kept (training steps)
     * @param done the event's count, to see a count start again
     * @param complete true for the event that completes the stage's work
     */
    public void append(String runId, String stage, String eventJson, boolean keepEach, long done, boolean complete) {
        Instant at = clock.instant();
        long now = nanos.getAsLong();
        synchronized (this) {
            Lane lane = lanes.computeIfAbsent(runId + '\u0000' + stage, k -> new Lane());
            boolean first = lane.lastDone == Long.MIN_VALUE;
            boolean restart = done < lane.lastDone;
            lane.lastDone = done;
            if (keepEach || first || restart || complete || now - lane.keptNanos >= SAMPLE_EVERY.toNanos()) {
                enqueue(runId, stage, eventJson, at, lane, now);
            } else {
                lane.pending = new Pending(eventJson, at);
            }
        }
    }

    private void enqueue(String runId, String stage, String json, Instant at, Lane lane, long now) {
        long seq = lastSeq.computeIfAbsent(runId, this::storedLastSeq) + 1;
        lastSeq.put(runId, seq);
        queue.add(new Row(runId, seq, stage, at, json));
        lane.keptNanos = now;
        lane.pending = null;
    }

    /** Writes {@code runId}'s queued and sampled-away latest events now, in this thread. */
    public void flush(String runId) {
        write(runId);
    }

    /** The events of {@code runId} after {@code afterSeq}, oldest first. */
    public List<Entry> after(String runId, long afterSeq, int limit) {
        return sql.query("SELECT seq, created_at, stage, event_json FROM progress_event WHERE run_id = ? AND seq > ?"
                + " ORDER BY seq LIMIT ?", rs -> new Entry(rs.getLong("seq"), Sql.instant(rs, "created_at"),
                rs.getString("stage"), rs.getString("event_json")), runId, afterSeq, limit);
    }

    /** Increases whenever events were written; pass it to {@link #awaitChange}. */
    public long version() {
        synchronized (changed) {
            return version;
        }
    }

    /** Waits until events are written after {@code seen} (a {@link #version()}), at most {@code timeout}. */
    public void awaitChange(long seen, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (changed) {
            while (version == seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return;
                TimeUnit.NANOSECONDS.timedWait(changed, left);
            }
        }
    }

    /** Wakes every waiting reader, e.g. when a run ends without a new event. */
    public void signal() {
        synchronized (changed) {
            version++;
            changed.notifyAll();
        }
    }

    private void write(String flushRun) {
        synchronized (writeLock) {
            List<Row> rows;
            synchronized (this) {
                long now = nanos.getAsLong();
                for (Iterator<Map.Entry<String, Lane>> it = lanes.entrySet().iterator(); it.hasNext(); ) {
                    Map.Entry<String, Lane> e = it.next();
                    String runId = e.getKey().substring(0, e.getKey().indexOf('\u0000'));
                    Lane lane = e.getValue();
                    boolean flushing = runId.equals(flushRun);
                    if (lane.pending != null && (flushing || now - lane.keptNanos >= SAMPLE_EVERY.toNanos())) {
                        enqueue(runId, e.getKey().substring(runId.length() + 1), lane.pending.json(),
                                lane.pending.at(), lane, now);
                    }
                    if (flushing) it.remove(); // the stage ended: the next one starts its own lane
                }
                if (queue.isEmpty()) return;
                rows = new ArrayList<>(queue);
                queue.clear();
            }
            try {
                sql.inTransaction(c -> {
                    insert(c, rows);
                    for (String lane : lanesOf(rows)) thinIfFull(c, lane);
                    return null;
                });
                failing = false;
            } catch (RuntimeException e) {
                if (!failing) LOG.warn("progress events not recorded: {}", e.getMessage());
                failing = true; // said once until it works again; progress is not worth failing a run for
            }
        }
        signal();
    }

    private static void insert(Connection c, List<Row> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO progress_event (run_id, seq, stage, created_at,"
                + " event_json) VALUES (?, ?, ?, ?, ?)")) {
            for (Row r : rows) {
                ps.setString(1, r.runId());
                ps.setLong(2, r.seq());
                ps.setString(3, r.stage());
                ps.setObject(4, OffsetDateTime.ofInstant(r.at(), ZoneOffset.UTC));
                ps.setString(5, r.json());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static List<String> lanesOf(List<Row> rows) {
        List<String> out = new ArrayList<>();
        for (Row r : rows) {
            String key = r.runId() + '\u0000' + r.stage();
            if (!out.contains(key)) out.add(key);
        }
        return out;
    }

    private void thinIfFull(Connection c, String key) throws SQLException {
        int cut = key.indexOf('\u0000');
        String runId = key.substring(0, cut);
        String stage = key.substring(cut + 1);
        long rows = Sql.query(c, "SELECT COUNT(*) FROM progress_event WHERE run_id = ? AND stage = ?",
                rs -> rs.getLong(1), runId, stage).get(0);
        if (rows <= KEEP_PER_STAGE) return;
        List<Long> seqs = Sql.query(c, "SELECT seq FROM progress_event WHERE run_id = ? AND stage = ? ORDER BY seq",
                rs -> rs.getLong(1), runId, stage);
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM progress_event WHERE run_id = ? AND seq = ?")) {
            for (int i = 1; i < seqs.size() - KEEP_NEWEST; i += 2) {
                ps.setString(1, runId);
                ps.setLong(2, seqs.get(i));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private long storedLastSeq(String runId) {
        return sql.queryOne("SELECT COALESCE(MAX(seq), 0) FROM progress_event WHERE run_id = ?",
                (ResultSet rs) -> rs.getLong(1), runId).orElse(0L);
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        write(null);
    }
}
