package sn37.miner.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import sn37.miner.util.Json;
import sn37.miner.e2e.CrashInjection;

/**
 * The whole miner: wall time and peak RSS of the README's offline demo ({@code bin/miner mine --offline ...}, the
 * real launcher and jar, median of N rounds), and, against the loopback fakes, the time from a SIGKILL between two
 * LFS parts of the upload to the resumed run's SUCCEEDED (restart, retry sweeper, upload, commit).
 * Usage: E2eBench [--rounds N] [--kill-rounds N]
 */
public final class E2eBench {
    private static final List<String> DEMO = List.of("mine", "--offline", "--init_config", "tiny-llama", "--max_steps",
            "4", "--batch_size", "8", "--accumulation_steps", "1", "--lr", "0.003", "--avg_loss_upload_threshold", "0.99");

    private E2eBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = 3;
        int killRounds = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--kill-rounds" -> killRounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: E2eBench [--rounds N] [--kill-rounds N]");
            }
        }
        Path scratch = Files.createTempDirectory("sn37-e2e-bench");
        List<Double> seconds = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            double[] m = demo(scratch.resolve("demo-" + r));
            seconds.add(m[0]);
            rss.add(m[1]);
            System.err.printf("offline demo round %d: %.2f s, peak RSS %.0f MiB%n", r + 1, m[0], m[1]);
        }
        CrashInjection.Point upload = CrashInjection.points().stream()
                .filter(p -> p.name().equals("upload: between LFS parts")).findFirst().orElseThrow();
        List<Double> killToFinished = new ArrayList<>();
        boolean allOk = true;
        for (int r = 0; r < killRounds; r++) {
            CrashInjection.Outcome o = CrashInjection.run(upload, scratch.resolve("kill-" + r));
            System.err.print(CrashInjection.table(List.of(o)));
            killToFinished.add(o.killToFinishedSeconds());
            allOk &= o.ok();
        }
        ObjectNode out = Json.mapper().createObjectNode().put("bench", "e2e").put("demo_rounds", rounds);
        out.put("offline_demo_seconds_median", round(median(seconds)));
        out.set("offline_demo_seconds", Json.mapper().valueToTree(seconds.stream().map(E2eBench::round).toList()));
        out.put("offline_demo_peak_rss_mib_median", Math.round(median(rss)));
        out.put("upload_kill_point", upload.name());
        out.put("upload_kill_to_finished_seconds_median", round(median(killToFinished)));
        out.set("upload_kill_to_finished_seconds",
                Json.mapper().valueToTree(killToFinished.stream().map(E2eBench::round).toList()));
        out.put("upload_kill_outcome", allOk ? "SUCCEEDED, one Hub commit, one chain commit" : "PROBLEMS (see stderr)");
        System.out.println(out);
    }

    /** Runs the demo through bin/miner; {wall seconds, peak RSS MiB} from the java process it execs. */
    private static double[] demo(Path dir) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bin/miner"));
        cmd.addAll(DEMO);
        cmd.add("--pipeline.db.path=" + dir.resolve("db/pipeline"));
        cmd.add("--pipeline.work-dir=" + dir.resolve("runs"));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Path status = Path.of("/proc", String.valueOf(p.pid()), "status");
        long peakKib = 0;
        while (p.isAlive()) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmHWM:")) peakKib = Math.max(peakKib, Long.parseLong(line.replaceAll("\\D", "")));
                }
            } catch (IOException exited) {
                // the process ended between isAlive and the read
            }
            Thread.sleep(25);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        if (p.exitValue() != 0) throw new IllegalStateException("the offline demo exited with " + p.exitValue());
        return new double[] {wall, peakKib / 1024.0};
    }

    private static double median(List<Double> xs) {
        List<Double> s = xs.stream().sorted().toList();
        return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
    }

    private static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }
}
