package sn37.miner.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accumulates rows from any {@link SampleSource}: validates each one, drops duplicates by content
 * {@code (challenge, reference)} as the reference loader does from 2024-10-26, counts drops per
 * reason, and keeps the first five problems as examples. Not thread-safe.
 */
public final class SampleCollector {

    static final int MAX_EXAMPLES = 5;

    private record Key(String challenge, String reference) {
    }

    private final int limit;
    private final List<McSample> samples = new ArrayList<>();
    private final Map<Key, String> firstSeen = new HashMap<>();
    private final Map<DropReason, Integer> dropped = new EnumMap<>(DropReason.class);
    private final List<String> examples = new ArrayList<>();
    private int rowsRead;

    /** Keeps every valid row. */
    public SampleCollector() {
        this.limit = Integer.MAX_VALUE;
    }

    /** Reports {@link #isFull()} once {@code limit} valid rows are kept. */
    public SampleCollector(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        this.limit = limit;
    }

    /**
     * Counts one row and keeps it if valid and new.
     *
     * @param where where the row came from, for examples: "line 7", "run abc step 117"
     * @return true if the row was kept
     */
    public boolean offer(String where, JsonNode row) {
        rowsRead++;
        RowCheck.Verdict verdict = RowCheck.check(row);
        if (!verdict.kept()) {
            drop(where, verdict.reason(), verdict.detail());
            return false;
        }
        McSample sample = verdict.sample();
        String first = firstSeen.putIfAbsent(new Key(sample.challenge(), sample.reference()), where);
        if (first != null) {
            drop(where, DropReason.DUPLICATE, "duplicate of " + first + " (same challenge and reference)");
            return false;
        }
        samples.add(sample);
        return true;
    }

    /** Counts one row that the source could not even turn into JSON (or rejects for its own reason). */
    public void reject(String where, DropReason reason, String detail) {
        rowsRead++;
        drop(where, reason, detail);
    }

    public boolean isFull() {
        return samples.size() >= limit;
    }

    public int kept() {
        return samples.size();
    }

    public SampleLoad finish(Map<String, Object> provenance) {
        Map<String, Integer> byLabel = new LinkedHashMap<>();
        dropped.forEach((reason, n) -> byLabel.put(reason.label(), n));
        return new SampleLoad(samples, rowsRead, byLabel, examples, provenance);
    }

    private void drop(String where, DropReason reason, String detail) {
        dropped.merge(reason, 1, Integer::sum);
        if (examples.size() < MAX_EXAMPLES) {
            examples.add(where + ": " + detail);
        }
    }
}
