package sn37.miner.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link SampleCollector} plus the drop reasons that only remote sources have (a stale row, a row from a
 * non-validator hotkey, a cell the dataset viewer truncated). Those are counted under their own label in
 * {@link SampleLoad#droppedByReason()} after the collector's reasons, and count as rows read.
 */
final class LoadTally {
    static final String STALE = "older than the age window";
    static final String NO_TIMESTAMP = "no numeric _timestamp (age unknown)";

    private final SampleCollector collector;
    private final Map<String, Integer> skipped = new LinkedHashMap<>();
    private final List<String> examples = new ArrayList<>();
    private int skippedRows;

    LoadTally(int limit) {
        this.collector = limit == Integer.MAX_VALUE ? new SampleCollector() : new SampleCollector(limit);
    }

    boolean offer(String where, JsonNode row) {
        return collector.offer(where, row);
    }

    void reject(String where, DropReason reason, String detail) {
        collector.reject(where, reason, detail);
    }

    /** Counts a row dropped for a reason {@link DropReason} does not have. */
    void skip(String where, String label, String detail) {
        skippedRows++;
        skipped.merge(label, 1, Integer::sum);
        if (examples.size() < SampleCollector.MAX_EXAMPLES) {
            examples.add(where + ": " + detail);
        }
    }

    boolean isFull() {
        return collector.isFull();
    }

    int kept() {
        return collector.kept();
    }

    SampleLoad finish(Map<String, Object> provenance) {
        SampleLoad load = collector.finish(provenance);
        Map<String, Integer> dropped = new LinkedHashMap<>(load.droppedByReason());
        skipped.forEach((label, n) -> dropped.merge(label, n, Integer::sum));
        List<String> allExamples = new ArrayList<>(load.examples());
        for (String e : examples) {
            if (allExamples.size() < SampleCollector.MAX_EXAMPLES) {
                allExamples.add(e);
            }
        }
        return new SampleLoad(load.samples(), load.rowsRead() + skippedRows, dropped, allExamples, provenance);
    }
}
