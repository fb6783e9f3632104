package sn37.miner.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.testing.Slow;

/**
 * SIGKILL at every stage boundary and at the named points inside upload and commit, Ctrl-C during train, and a
 * deleted newest checkpoint after a SIGKILL during train; after a restart every run
 * finishes SUCCEEDED with exactly one Hub commit and one chain extrinsic, and no finished stage runs again.
 */
@Slow
class CrashInjectionTest {
    /** The table and each point's server log and stage journal, kept as test artifacts. */
    private static final Path REPORTS = Path.of("target", "crash-injection");

    @TempDir Path dir;

    private static void keepLogs(Path from, Path to) throws java.io.IOException {
        Files.createDirectories(to);
        for (String f : List.of("server.log", "journal.txt")) {
            if (Files.exists(from.resolve(f))) {
                Files.copy(from.resolve(f), to.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Test
    void everyKilledRunFinishesOnceWithOneHubCommitAndOneChainCommit() throws Exception {
        List<CrashInjection.Outcome> outcomes = new ArrayList<>();
        int i = 0;
        // -Dcrash.only=A,B runs the points whose name contains A or B (while working on some)
        List<String> only = List.of(System.getProperty("crash.only", "").split(","));
        List<CrashInjection.Point> points = CrashInjection.points().stream()
                .filter(p -> only.stream().anyMatch(p.name()::contains)).toList();
        for (CrashInjection.Point point : points) {
            Path pointDir = dir.resolve("point-" + (i++));
            try {
                outcomes.add(CrashInjection.run(point, pointDir));
            } catch (Exception | AssertionError e) {
                outcomes.add(new CrashInjection.Outcome(point.name(), "LOST", -1, -1, "-", 0,
                        List.of("harness: " + e.getMessage())));
            }
            keepLogs(pointDir, REPORTS.resolve(pointDir.getFileName()));
        }
        String table = CrashInjection.table(outcomes);
        System.out.println(table);
        Files.writeString(REPORTS.resolve("table.txt"), table);
        assertFalse(outcomes.isEmpty());
        assertTrue(outcomes.stream().allMatch(CrashInjection.Outcome::ok), table);
    }
}
