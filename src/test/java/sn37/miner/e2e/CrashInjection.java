package sn37.miner.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import sn37.miner.chain.ChainTestKit;
import sn37.miner.fake.FakeHub;
import sn37.miner.fake.FakeSubtensor;

/**
 * Kills the pipeline server (SIGKILL) at one named point of a publishing run, restarts it, lets the retry sweeper
 * (upload/commit failures) or an explicit resume (earlier stages) finish the run, and reports what happened: the
 * final status, the Hub commits and chain extrinsics the fakes received, which stages started or finished more
 * than once, and the time from the kill to the finished run.
 */
public final class CrashInjection {
    /**
     * @param crashBefore the stage whose start the server dies at, or null when a fake kills it
     * @param arm sets a fake's hook to kill the server at the point
     */
    public record Point(String name, String crashBefore, BiConsumer<MinerWorld, Runnable> arm) {
        static Point before(String stage) {
            return new Point("before " + stage, stage, (w, kill) -> { });
        }
    }

    public record Outcome(String point, String status, int hubCommits, int chainExtrinsics, String resumedBy,
            double killToFinishedSeconds, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private static final List<String> STAGES =
            List.of("fetch-data", "load-model", "train", "evaluate", "gate", "upload", "commit");

    private CrashInjection() {}

    /** Every stage boundary, then the named points inside upload and commit. */
    public static List<Point> points() {
        List<Point> points = new ArrayList<>();
        for (String stage : STAGES) points.add(Point.before(stage));
        points.add(new Point("upload: between LFS parts", null,
                (w, kill) -> w.hub.onHandled(FakeHub.Kind.LFS_PART_PUT, kill)));
        points.add(new Point("upload: Hub commit made, answer not recorded", null,
                (w, kill) -> w.hub.onHandled(FakeHub.Kind.COMMIT, kill)));
        points.add(new Point("commit: after submit", null,
                (w, kill) -> w.node.onNext(FakeSubtensor.Moment.SUBMITTED, kill)));
        points.add(new Point("commit: after inclusion", null,
                (w, kill) -> w.node.onNext(FakeSubtensor.Moment.INCLUDED, kill)));
        points.add(new Point("commit: finalized, before confirmation", null,
                (w, kill) -> w.node.onNext(FakeSubtensor.Moment.FINALIZED, kill)));
        return points;
    }

    public static Outcome run(Point point, Path dir) throws Exception {
        Files.createDirectories(dir);
        List<String> problems = new ArrayList<>();
        try (MinerWorld world = MinerWorld.create(dir)) {
            Map<String, String> settings = new LinkedHashMap<>(world.settings());
            settings.put("pipeline.sweeper.enabled", "true");
            settings.put("pipeline.sweeper.cron", "* * * * * ?");
            settings.put("pipeline.sweeper.backoff-base-seconds", "1");
            AtomicReference<ServerProcess> current = new AtomicReference<>();
            point.arm().accept(world, () -> current.get().kill());

            String runId;
            long killedAt;
            try (ServerProcess first = ServerProcess.start(dir, settings, world.env(), point.crashBefore())) {
                current.set(first);
                runId = first.api.submit(world.runParams());
                awaitDeath(first, dir.resolve("journal.txt"), point, Duration.ofMinutes(3));
                killedAt = System.nanoTime();
            }
            JsonNode run;
            String resumedBy;
            try (ServerProcess second = ServerProcess.start(dir, settings, world.env(), null)) {
                // the sweeper may have picked an upload/commit failure up already; the stage records tell
                boolean publishing = List.of("upload", "commit").contains(killedIn(point));
                if (publishing) {
                    resumedBy = "sweeper";
                } else {
                    resumedBy = "POST resume";
                    JsonNode interrupted = second.api.run(runId);
                    if (!interrupted.get("status").asText().equals("FAILED")) {
                        problems.add("after the kill the run is " + interrupted.get("status") + ", not FAILED");
                    }
                    int code = second.api.post("/api/runs/" + runId + "/resume", "").statusCode();
                    if (code != 202) problems.add("resume answered " + code);
                }
                run = second.api.awaitFinished(runId, Duration.ofMinutes(3));
                if (publishing && run.get("autoRetries").asInt() != 1) {
                    problems.add("the sweeper did not resume it (autoRetries " + run.get("autoRetries") + ")");
                }
            }
            double seconds = (System.nanoTime() - killedAt) / 1e9;
            check(world, run, dir.resolve("journal.txt"), point, problems);
            return new Outcome(point.name(), run.get("status").asText(), world.hub.commitsApplied(MinerWorld.REPO),
                    world.node.submissions().size(), resumedBy, seconds, problems);
        }
    }

    private static void awaitDeath(ServerProcess server, Path journal, Point point, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (server.process.isAlive()) {
            if (point.crashBefore() != null && Files.exists(journal)
                    && Files.readString(journal).contains("crash-point before:" + point.crashBefore())) {
                server.kill();
                return;
            }
            if (System.nanoTime() > deadline) {
                server.kill();
                throw new AssertionError(point.name() + ": never reached within " + timeout + "\n" + server.logTail());
            }
            Thread.sleep(20);
        }
    }

    private static void check(MinerWorld world, JsonNode run, Path journal, Point point, List<String> problems)
            throws Exception {
        if (!run.get("status").asText().equals("SUCCEEDED")) {
            problems.add("run ended " + run.get("status") + ": " + run.path("lastError").asText());
        }
        int commits = world.hub.commitsApplied(MinerWorld.REPO);
        if (commits != 1) problems.add(commits + " Hub commits");
        int extrinsics = world.node.submissions().size();
        if (extrinsics != 1) problems.add(extrinsics + " chain extrinsics");
        world.node.commitment(37, ChainTestKit.testHotkey().publicKey()).flatMap(r -> r.firstRawText())
                .filter(text -> text.equals(output(run, "commit", "modelId")))
                .ifPresentOrElse(text -> { }, () -> problems.add("the chain does not hold the run's ModelId"));
        if (world.hub.isPrivate(MinerWorld.REPO)) problems.add("the repo is still private");

        Map<String, Integer> started = new HashMap<>();
        Map<String, Integer> done = new HashMap<>();
        for (String line : Files.readAllLines(journal)) {
            String[] w = line.split(" ", 2);
            if (w[0].equals("start")) started.merge(w[1], 1, Integer::sum);
            if (w[0].equals("done")) done.merge(w[1], 1, Integer::sum);
        }
        String killedIn = killedIn(point);
        for (String stage : STAGES) {
            int expectedStarts = stage.equals(killedIn) ? 2 : 1;
            if (done.getOrDefault(stage, 0) != 1) problems.add(stage + " finished " + done.getOrDefault(stage, 0) + " times");
            if (started.getOrDefault(stage, 0) != expectedStarts) {
                problems.add(stage + " started " + started.getOrDefault(stage, 0) + " times, expected " + expectedStarts);
            }
        }
        Map<String, Integer> succeeded = new HashMap<>();
        List<String> interrupted = new ArrayList<>();
        for (JsonNode s : run.get("stages")) {
            if (s.get("status").asText().equals("SUCCEEDED")) succeeded.merge(s.get("stage").asText(), 1, Integer::sum);
            if (s.get("status").asText().equals("FAILED")) interrupted.add(s.get("stage").asText() + ":" + s.path("error").asText());
        }
        if (!interrupted.equals(List.of(killedIn + ":interrupted"))) {
            problems.add("failed stage records " + interrupted + ", expected [" + killedIn + ":interrupted]");
        }
        for (String stage : STAGES) {
            if (succeeded.getOrDefault(stage, 0) != 1) problems.add(stage + " SUCCEEDED " + succeeded.get(stage) + " times");
        }
        int downloads = world.hub.count(FakeHub.Kind.CDN_GET);
        if (downloads != 1) problems.add("the incumbent's weights were downloaded " + downloads + " times");
        if (!world.hub.violations().isEmpty()) problems.add("Hub protocol: " + world.hub.violations());
        if (!world.node.violations().isEmpty()) problems.add("chain protocol: " + world.node.violations());
    }

    private static String killedIn(Point point) {
        if (point.crashBefore() != null) return point.crashBefore();
        return point.name().startsWith("upload") ? "upload" : "commit";
    }

    private static String output(JsonNode run, String stage, String field) {
        for (JsonNode s : run.get("stages")) {
            if (s.get("stage").asText().equals(stage) && s.path("outputs").has(field)) return s.get("outputs").get(field).asText();
        }
        return null;
    }

    /** The table the test prints: one line per injection point. */
    public static String table(List<Outcome> outcomes) {
        StringBuilder sb = new StringBuilder(String.format("%-46s %-10s %4s %5s %-12s %7s  %s%n", "injection point",
                "run", "hub", "chain", "resumed by", "kill→ok", "problems"));
        for (Outcome o : outcomes) {
            sb.append(String.format("%-46s %-10s %4d %5d %-12s %6.1fs  %s%n", o.point(), o.status(), o.hubCommits(),
                    o.chainExtrinsics(), o.resumedBy(), o.killToFinishedSeconds(),
                    o.ok() ? "none" : String.join("; ", o.problems())));
        }
        return sb.toString();
    }
}
