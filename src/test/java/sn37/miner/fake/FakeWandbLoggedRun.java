package sn37.miner.fake;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** A run created through {@code UpsertBucket} and written through {@code file_stream}, as {@link FakeWandb} saw it. */
public final class FakeWandbLoggedRun {
    final String entity;
    final String project;
    final String name;
    volatile String displayName;
    volatile String configJson;
    final Map<String, TreeMap<Integer, String>> files = new ConcurrentHashMap<>();
    volatile boolean complete;
    volatile Integer exitCode;

    FakeWandbLoggedRun(String entity, String project, String name) {
        this.entity = entity;
        this.project = project;
        this.name = name;
    }

    public String name() {
        return name;
    }

    public String displayName() {
        return displayName;
    }

    /** The config as sent: a JSON string of {@code {key: {"value": v}}}. */
    public String configJson() {
        return configJson;
    }

    /** Lines of one file-stream file, in offset order. */
    public synchronized List<String> lines(String file) {
        TreeMap<Integer, String> f = files.get(file);
        return f == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(f.values()));
    }

    public List<JsonNode> history() {
        List<JsonNode> out = new ArrayList<>();
        for (String line : lines("wandb-history.jsonl")) {
            out.add(FakeWandb.parse(line));
        }
        return out;
    }

    public JsonNode summary() {
        List<String> l = lines("wandb-summary.json");
        return l.isEmpty() ? null : FakeWandb.parse(l.get(l.size() - 1));
    }

    public boolean complete() {
        return complete;
    }

    public Integer exitCode() {
        return exitCode;
    }

    synchronized void write(String file, int offset, List<String> content) {
        TreeMap<Integer, String> f = files.computeIfAbsent(file, k -> new TreeMap<>());
        for (int i = 0; i < content.size(); i++) {
            f.put(offset + i, content.get(i));
        }
    }

    synchronized int size(String file) {
        TreeMap<Integer, String> f = files.get(file);
        return f == null ? 0 : f.size();
    }
}
