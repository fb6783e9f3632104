package sn37.miner.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import sn37.miner.run.ProgressLog;
import sn37.miner.run.Run;
import sn37.miner.run.RunStore;

/**
 * A run's progress events as Server-Sent Events text, chunk by chunk as they are written: {@code id: <seq>},
 * {@code event: progress}, {@code data: <event JSON>}. When the run is no longer queued or running and every event is
 * sent, one {@code event: end} with its status ends the stream. A stream open for {@code maxOpen} ends without it;
 * the client reconnects with {@code Last-Event-ID} and loses nothing.
 */
final class ProgressStream {
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final Duration WAIT = Duration.ofSeconds(1);
    private static final int BATCH = 200;

    private final ProgressLog log;
    private final RunStore store;
    private final String runId;
    private final Duration maxOpen;
    private final long opened = System.nanoTime();
    private long lastSeq;
    private long lastSent = System.nanoTime();
    private boolean started;
    private boolean ended;
    private volatile boolean closed;

    ProgressStream(ProgressLog log, RunStore store, String runId, long afterSeq, Duration maxOpen) {
        this.log = log;
        this.store = store;
        this.runId = runId;
        this.lastSeq = afterSeq;
        this.maxOpen = maxOpen;
    }

    /** The SSE text of stored events: one block per event. */
    static String format(List<ProgressLog.Entry> entries) {
        StringBuilder sb = new StringBuilder();
        for (ProgressLog.Entry e : entries) {
            sb.append("id: ").append(e.seq()).append("\nevent: progress\ndata: ").append(RunApi.eventJson(e)).append("\n\n");
        }
        return sb.toString();
    }

    /**
     * The next text to send (events, the end, or a keep-alive comment), waiting for it; null once the stream is over
     * or {@link #close}d.
     */
    String next() throws InterruptedException {
        if (!started) {
            started = true;
            return "retry: 2000\n\n"; // at once: the client has the headers, and knows how soon to reconnect
        }
        while (!ended && !closed) {
            long version = log.version();
            String events = send(log.after(runId, lastSeq, BATCH));
            if (events != null) return events;
            Optional<Run> run = store.find(runId);
            if (run.isEmpty() || !run.get().status().isActive()) {
                // a stage's events are written before its end is recorded: one more read has them all
                events = send(log.after(runId, lastSeq, BATCH));
                if (events != null) return events;
                ended = true;
                return "event: end\ndata: {\"status\":\"" + run.map(r -> r.status().name()).orElse("GONE") + "\"}\n\n";
            }
            long now = System.nanoTime();
            if (now - opened > maxOpen.toNanos()) {
                ended = true;
                return null;
            }
            if (now - lastSent > KEEP_ALIVE.toNanos()) {
                lastSent = now;
                return ": keep-alive\n\n";
            }
            log.awaitChange(version, WAIT);
        }
        return null;
    }

    private String send(List<ProgressLog.Entry> entries) {
        if (entries.isEmpty()) return null;
        lastSeq = entries.get(entries.size() - 1).seq();
        lastSent = System.nanoTime();
        return format(entries);
    }

    /** The client went away: {@link #next} returns null within a second. */
    void close() {
        closed = true;
    }
}
