package sn37.miner.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Both DISTILLED_REASONING_3B tasks' rows: the evaluation and training splits (each in task order), the rows read,
 * the drop counts per reason over both tasks, up to five examples, and provenance per task.
 */
public record ReasoningLoad(List<ReasoningSample> eval, List<ReasoningSample> train, int rowsRead,
        Map<String, Integer> droppedByReason, List<String> examples, Map<String, Object> provenance) {

    public ReasoningLoad {
        eval = List.copyOf(eval);
        train = List.copyOf(train);
        droppedByReason = Collections.unmodifiableMap(new LinkedHashMap<>(droppedByReason));
        examples = List.copyOf(examples);
        provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    }

    static ReasoningLoad combine(String source, List<ReasoningSampleSource.TaskLoad> loads) {
        List<ReasoningSample> eval = new ArrayList<>();
        List<ReasoningSample> train = new ArrayList<>();
        Map<String, Integer> dropped = new LinkedHashMap<>();
        List<String> examples = new ArrayList<>();
        Map<String, Object> tasks = new LinkedHashMap<>();
        int rows = 0;
        for (ReasoningSampleSource.TaskLoad l : loads) {
            eval.addAll(l.eval());
            train.addAll(l.train());
            rows += l.rowsRead();
            l.droppedByReason().forEach((k, v) -> dropped.merge(k, v, Integer::sum));
            for (String e : l.examples()) {
                if (examples.size() < SampleCollector.MAX_EXAMPLES) {
                    examples.add(l.task() + " " + e);
                }
            }
            Map<String, Object> p = new LinkedHashMap<>(l.provenance());
            p.put("rowsRead", l.rowsRead());
            p.put("droppedByReason", l.droppedByReason());
            tasks.put(l.task().name(), p);
        }
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("source", source);
        provenance.put("tasks", tasks);
        return new ReasoningLoad(eval, train, rows, dropped, examples, provenance);
    }

    /** Evaluation rows per task, every task present. */
    public Map<String, Integer> evalByTask() {
        return count(eval);
    }

    public Map<String, Integer> trainByTask() {
        return count(train);
    }

    public static Map<String, Integer> count(List<ReasoningSample> samples) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (ReasoningTask t : ReasoningTask.values()) {
            out.put(t.name(), (int) samples.stream().filter(s -> s.task() == t).count());
        }
        return out;
    }
}
