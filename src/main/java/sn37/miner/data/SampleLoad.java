package sn37.miner.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Result of one {@link SampleSource#load()}: the kept samples, how many rows were read, the
 * drop counts per reason (in {@link DropReason} order), up to five example problems, and
 * provenance of the source ({@code source}, {@code sha256}, {@code bytes}).
 */
public record SampleLoad(
        List<McSample> samples,
        int rowsRead,
        Map<String, Integer> droppedByReason,
        List<String> examples,
        Map<String, Object> provenance) {

    public SampleLoad {
        samples = List.copyOf(samples);
        droppedByReason = Collections.unmodifiableMap(new LinkedHashMap<>(droppedByReason));
        examples = List.copyOf(examples);
        provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    }

    public int dropped() {
        return droppedByReason.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** e.g. "12 rows read, 9 kept; dropped: malformed JSON 2, blank challenge 1". */
    public String summary() {
        return rowsRead + " rows read, " + samples.size() + " kept; dropped: " + droppedText();
    }

    String droppedText() {
        if (droppedByReason.isEmpty()) {
            return "none";
        }
        return droppedByReason.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
