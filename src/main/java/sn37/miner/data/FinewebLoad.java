package sn37.miner.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The FINEWEB texts one load kept, the rows it read, drop counts per reason, up to five examples, provenance. */
public record FinewebLoad(List<FinewebText> texts, int rowsRead, Map<String, Integer> droppedByReason,
        List<String> examples, Map<String, Object> provenance) {

    public FinewebLoad {
        texts = List.copyOf(texts);
        droppedByReason = Collections.unmodifiableMap(new LinkedHashMap<>(droppedByReason));
        examples = List.copyOf(examples);
        provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    }
}
