package sn37.miner.stage;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Fills in {@link ProgressEvent#etaSeconds()} from the rate seen since the first event of the current phase (a
 * stage, unit and task; a count that goes back starts a new phase): time per unit since then, times the units left.
 * The first event's own work (model load, compilation) is left out, so the estimate is not skewed by warm-up.
 * One instance per stage execution.
 */
public final class ProgressEta implements Progress {
    private final Progress next;
    private final LongSupplier nanos;
    private String phase;
    private long firstDone;
    private long firstNanos;
    private long lastDone;

    public ProgressEta(Progress next) {
        this(next, System::nanoTime);
    }

    ProgressEta(Progress next, LongSupplier nanos) {
        this.next = next;
        this.nanos = nanos;
    }

    @Override
    public void report(ProgressEvent e) {
        next.report(e.etaSeconds() != null ? e : e.withEta(estimate(e)));
    }

    private synchronized Double estimate(ProgressEvent e) {
        long now = nanos.getAsLong();
        String p = e.stage() + '/' + e.unit() + '/' + Objects.toString(e.task(), "");
        if (!p.equals(phase) || e.done() < lastDone) {
            phase = p;
            firstDone = e.done();
            firstNanos = now;
        }
        lastDone = e.done();
        if (e.total() <= 0) return null;
        if (e.done() >= e.total()) return 0.0;
        long units = e.done() - firstDone;
        if (units <= 0 || now <= firstNanos) return null;
        double perUnit = (now - firstNanos) / 1e9 / units;
        return perUnit * (e.total() - e.done());
    }
}
