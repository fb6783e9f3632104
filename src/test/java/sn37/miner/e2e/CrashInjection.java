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
 * Kills the pipeline server (SIGKILL) at one named point of a publishing run, or stops it with Ctrl-C or damages
 * its newest checkpoint during train, restarts it, lets the retry sweeper
 * (upload/commit failures) or an explicit resume (earlier stages) finish the run, and reports what happened: the
 * final status, the Hub commits and chain extrinsics the fakes received, which stages started or finished more
 * than once, and the time from the kill to the finished run.
 */
public final class CrashInjection {
    /** How the server is stopped during train, for the points that are not a SIGKILL at a hook. */
    enum DuringTrain {
        /** Ctrl-C: training stops at its next step with a checkpoint, the run is FAILED(interrupted). */
        SIGINT,
        /** SIGKILL, then the newest checkpoint's model.safetensors is deleted: the resume falls back a step. */
        KILL_AND_DELETE_NEWEST_CHECKPOINT
    }

    /** Optimizer steps of the runs stopped during train: enough that the stop lands while it trains. */
    static final int TRAIN_STEPS = 12;

    /**
     * @param crashBefore the stage whose start the server dies at, or null when a fake or {@code duringTrain}
     *     stops it
     * @param arm sets a fake's hook to kill the server at the point
     * @param duringTrain how the harness stops the server once training has written checkpoint 2, or null
     */
    public record Point(String name, String crashBefore, BiConsumer<MinerWorld, Runnable> arm, DuringTrain duringTrain) {
        Point(String name, String crashBefore, BiConsumer<MinerWorld, Runnable> arm) {
            this(name, crashBefore, arm, null);
        }

        static Point before(String stage) {
            return new Point("before " + stage, stage, (w, kill) -> { });
        }

        static Point during(String name, DuringTrain how) {
            return new Point(name, null, (w, kill) -> { }, how);
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
        points.add(Point.during("train: SIGINT (Ctrl-C)", DuringTrain.SIGINT));
        points.add(Point.during("train: newest checkpoint's weights deleted", DuringTrain.KILL_AND_DELETE_NEWEST_CHECKPOINT));
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
            int deletedStep = -1;
            Map<String, Object> params = new LinkedHashMap<>(world.runParams());
            if (point.duringTrain() != null) {
                params.put("max_steps", TRAIN_STEPS);
                params.put("checkpoint_every", 1);
            }
            try (ServerProcess first = ServerProcess.start(dir, settings, world.env(), point.crashBefore())) {
                current.set(first);
                runId = first.api.submit(params);
                if (point.duringTrain() == null) {
                    awaitDeath(first, dir.resolve("journal.txt"), point, Duration.ofMinutes(3));
                } else {
                    deletedStep = stopDuringTrain(first, dir.resolve("runs").resolve(runId), point, problems);
                }
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
                if (publishing) {
                    // the restart marks the run FAILED(interrupted) before the sweeper's first pass picks it up
                    second.api.awaitAutoRetry(runId, Duration.ofMinutes(1));
                }
                run = second.api.awaitFinished(runId, Duration.ofMinutes(3));
                if (publishing && run.get("autoRetries").asInt() != 1) {
                    problems.add("the sweeper did not resume it (autoRetries " + run.get("autoRetries") + ")");
                }
            }
            double seconds = (System.nanoTime() - killedAt) / 1e9;
            check(world, run, dir.resolve("journal.txt"), point, problems);
            if (point.duringTrain() != null) checkTrainResumed(run, point, deletedStep, problems);
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

    /**
     * Once training has written checkpoint 2: SIGINT (the server must exit 0 by itself), or SIGKILL and the
     * deletion of the newest checkpoint's weights. The step of the damaged checkpoint, or -1.
     */
    private static int stopDuringTrain(ServerProcess server, Path runDir, Point point, List<String> problems)
            throws Exception {
        Path checkpoints = runDir.resolve("train").resolve("checkpoints");
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!Files.exists(checkpoints.resolve("step-00000002").resolve("DONE"))) {
            if (!server.process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError(point.name() + ": training never reached step 2\n" + server.logTail());
            }
            Thread.sleep(5);
        }
        if (point.duringTrain() == DuringTrain.SIGINT) {
            int exit = server.signalAndAwaitExit("INT", Duration.ofMinutes(1));
            if (exit != 0) problems.add("serve exited " + exit + " after SIGINT, not 0");
            return -1;
        }
        server.kill();
        try (var dirs = Files.list(checkpoints)) {
            Path newest = dirs.filter(p -> p.getFileName().toString().matches("step-\\d{8}")).sorted()
                    .reduce((a, b) -> b).orElseThrow();
            Files.delete(newest.resolve("model.safetensors"));
            return Integer.parseInt(newest.getFileName().toString().substring(5));
        }
    }

    /** Training ran to its planned steps, from the checkpoint at the stop, or from the one before the damaged one. */
    private static void checkTrainResumed(JsonNode run, Point point, int deletedStep, List<String> problems) {
        JsonNode stopped = null;
        JsonNode finished = null;
        for (JsonNode s : run.get("stages")) {
            if (!s.get("stage").asText().equals("train")) continue;
            if (s.get("status").asText().equals("CANCELLED")) stopped = s.get("outputs");
            if (s.get("status").asText().equals("SUCCEEDED")) finished = s.get("outputs");
        }
        if (finished == null) {
            problems.add("train never SUCCEEDED");
            return;
        }
        if (finished.get("steps").asInt() != TRAIN_STEPS) {
            problems.add("train SUCCEEDED after " + finished.get("steps") + " steps, not " + TRAIN_STEPS);
        }
        int from = finished.path("resumedFromStep").asInt(-1);
        if (point.duringTrain() == DuringTrain.SIGINT) {
            if (stopped == null) {
                problems.add("no CANCELLED train record holds the checkpoint at the stop");
            } else if (from != stopped.get("steps").asInt()) {
                problems.add("resumed from step " + from + ", not from the stop's step " + stopped.get("steps"));
            }
        } else {
            if (from != deletedStep - 1) {
                problems.add("resumed from step " + from + ", not from " + (deletedStep - 1) + " before the damaged "
                        + deletedStep);
            }
            String start = finished.path("start").asText();
            if (!start.contains(String.format("step-%08d: model.safetensors is missing", deletedStep))) {
                problems.add("train's outputs do not say it fell back: " + start);
            }
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
        List<String> expectedFailed = point.duringTrain() == DuringTrain.SIGINT ? List.of()
                : List.of(killedIn + ":interrupted");
        if (!interrupted.equals(expectedFailed)) {
            problems.add("failed stage records " + interrupted + ", expected " + expectedFailed);
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
        if (point.duringTrain() != null) return "train";
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
