package sn37.miner.metrics;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** README's metrics table lists exactly the registered miner_* series, and the Grafana dashboard queries only those. */
class MetricsDocsTest {
    private static final Pattern ROW = Pattern.compile("(?m)^\\| `(miner_[a-z0-9_]+)` \\| ([a-z]+)");

    private static String section() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("## Metrics (Prometheus)");
        assertTrue(start >= 0, "README has no '## Metrics (Prometheus)' section");
        int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    @Test
    void readmeListsEachRegisteredMinerSeriesOnceWithItsType() throws Exception {
        List<String> documented = new ArrayList<>();
        Matcher m = ROW.matcher(section());
        while (m.find()) {
            documented.add(m.group(1));
            String type = m.group(2);
            String expected = m.group(1).endsWith("_total") ? "counter"
                    : m.group(1).endsWith("_duration_seconds") ? "timer" : "gauge";
            assertEquals(expected, type, m.group(1));
        }
        assertEquals(MeterMetrics.SERIES, documented);
    }

    @Test
    void everySeriesTheGrafanaDashboardQueriesIsDocumented() throws Exception {
        String section = section();
        for (String name : GrafanaDashboard.seriesNames()) {
            String series = GrafanaDashboard.series(name);
            if (name.startsWith("miner_")) {
                assertTrue(MeterMetrics.SERIES.contains(series), GrafanaDashboard.FILE + " queries " + name
                        + ", which is not a miner series: " + MeterMetrics.SERIES);
            }
            assertTrue(section.contains("`" + series + "`"), GrafanaDashboard.FILE + " queries " + name
                    + ", which README's metrics section does not name");
        }
    }
}
