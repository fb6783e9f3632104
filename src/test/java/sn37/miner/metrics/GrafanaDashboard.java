package sn37.miner.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import sn37.miner.util.Json;

/** The sample Grafana dashboard: the series names its panels' PromQL queries use. */
public final class GrafanaDashboard {
    public static final Path FILE = Path.of("config", "grafana", "miner-dashboard.json");
    /** The prefixes of the miner's and the binders' series; label names and PromQL functions have none of them. */
    private static final Pattern NAME = Pattern.compile("\\b((?:miner|jvm|process|system)_[a-z0-9_]+)\\b");

    private GrafanaDashboard() {}

    public static Set<String> seriesNames() throws IOException {
        JsonNode dashboard = Json.mapper().readTree(FILE.toFile());
        Set<String> names = new TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher m = NAME.matcher(target.get("expr").asText());
                while (m.find()) names.add(m.group(1));
            }
        }
        if (names.isEmpty()) throw new AssertionError(FILE + " queries no series");
        return names;
    }

    /** A timer's sample name (…_count, …_sum, …_max) as its series. */
    public static String series(String sampleName) {
        return sampleName.replaceAll("_(count|sum|max)$", "");
    }
}
