package sn37.miner.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A Prometheus text exposition, read as {@code name{labels}} → value (labels as written, sorted by the registry). */
public final class Scrape {
    private final Map<String, Double> samples = new LinkedHashMap<>();

    public Scrape(String text) {
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), number(line.substring(space + 1)));
        }
    }

    /** A sample value; the exposition format writes the infinities as {@code +Inf} and {@code -Inf}. */
    private static double number(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    /** The value of {@code name} with exactly {@code labels} ("k=\"v\",..." as scraped, or "" for none). */
    public double value(String name, String labels) {
        String key = labels.isEmpty() ? name : name + "{" + labels + "}";
        Double v = samples.get(key);
        if (v == null) throw new AssertionError("the scrape has no " + key + "; it has " + names());
        return v;
    }

    public boolean has(String name, String labels) {
        return samples.containsKey(labels.isEmpty() ? name : name + "{" + labels + "}");
    }

    /** Sample names without labels, e.g. miner_stage_duration_seconds_count. */
    public Set<String> names() {
        Set<String> out = new TreeSet<>();
        for (String k : samples.keySet()) out.add(k.contains("{") ? k.substring(0, k.indexOf('{')) : k);
        return out;
    }

    /** {@code name} as a series: itself, or a timer's _count/_sum/_max. */
    public boolean hasSeries(String name) {
        Set<String> n = names();
        return n.contains(name) || n.contains(name + "_count") && n.contains(name + "_sum");
    }
}
