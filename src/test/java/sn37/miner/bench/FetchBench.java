package sn37.miner.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import okhttp3.OkHttpClient;
import sn37.miner.util.Secret;
import sn37.miner.data.SampleLoad;
import sn37.miner.data.ValidatorCheck;
import sn37.miner.data.WandbSampleSource;
import sn37.miner.data.WandbSourceSettings;
import sn37.miner.fake.FakeWandb;
import sn37.miner.fake.FakeWandbKeys;
import sn37.miner.fake.FakeWandbRun;
import sn37.miner.wandb.WandbGraphql;
import sn37.miner.wandb.WandbHttp;
import sn37.miner.wandb.WandbPublicApi;
import sn37.miner.wandb.WandbRetry;

/**
 * Rows/s of the W&B SN1 source over loopback: {@code sampledHistory} pages of 500 rows from {@link FakeWandb} (rows
 * generated per request, so the fake holds none), parsed, filtered (3 in 4 rows multi_choice, references A-D, age
 * window) and deduped into at most 1,000 distinct samples. The baseline in the same run fetches and parses the same
 * pages without filtering. Wall time on loopback is mostly the fake making rows, so the client's own cost is
 * also given as rows per second of the calling thread's CPU time (OkHttp reads and Jackson parses on that thread).
 * Memory: the heap retained after a full GC once a load ends, at 1/10 of the rows and at
 * all of them (flat when pages are streamed, not buffered), and the peak heap used during the big load. One JSON
 * line on stdout; progress on stderr.
 *
 * <p>Usage: {@code FetchBench [--rows N] [--runs N] [--repeat N]} (defaults 100000, 20, 3; fastest round reported).
 */
public final class FetchBench {
    private static final String KEY = "bench-key-0123456789";
    private static final Instant NOW = Instant.parse("2024-10-10T00:00:00Z");
    private static final int PAGE = 500;
    private static final int DISTINCT = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private FetchBench() {}

    public static void main(String[] args) throws IOException {
        int rows = 100_000;
        int runs = 20;
        int repeat = 3;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--rows" -> rows = Integer.parseInt(value);
                case "--runs" -> runs = Integer.parseInt(value);
                case "--repeat" -> repeat = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "': expected --rows N, --runs N or --repeat N");
            }
        }
        try (FakeWandb fake = FakeWandb.start(KEY)) {
            int perRun = rows / runs;
            List<String> names = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                String name = String.format("bench%03d", r);
                names.add(name);
                int run = r;
                fake.add(FakeWandbRun.signedBy(FakeWandbKeys.key(1), name).generated(perRun - 1,
                        step -> row(run, step)));
            }
            WandbPublicApi api = api(fake);
            System.err.printf("warm-up over %d rows in %d runs%n", perRun * runs, runs);
            baseline(api, names, perRun);
            load(api, perRun, 1);

            long small = retainedAfter(() -> load(api, perRun / 10, 2));
            long bestBase = Long.MAX_VALUE;
            long bestLoad = Long.MAX_VALUE;
            long bestCpu = Long.MAX_VALUE;
            long bestBaseCpu = Long.MAX_VALUE;
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            SampleLoad last = null;
            long peak = 0;
            long big = 0;
            for (int i = 0; i < repeat; i++) {
                long baseCpu0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                long n = baseline(api, names, perRun);
                long base = System.nanoTime() - t0;
                long baseCpu = threads.getCurrentThreadCpuTime() - baseCpu0;
                resetPeaks();
                long cpu0 = threads.getCurrentThreadCpuTime();
                long t1 = System.nanoTime();
                last = load(api, perRun, 3 + i);
                long took = System.nanoTime() - t1;
                long cpu = threads.getCurrentThreadCpuTime() - cpu0;
                bestBase = Math.min(bestBase, base);
                bestLoad = Math.min(bestLoad, took);
                bestCpu = Math.min(bestCpu, cpu);
                bestBaseCpu = Math.min(bestBaseCpu, baseCpu);
                peak = Math.max(peak, peakHeap());
                System.err.printf("round %d: baseline %d rows in %.3f s (client CPU %.3f s), source %d rows in %.3f s"
                        + " (client CPU %.3f s)%n", i + 1, n, base / 1e9, baseCpu / 1e9, last.rowsRead(), took / 1e9,
                        cpu / 1e9);
            }
            big = retainedAfter(() -> load(api, perRun, 99));
            long total = (long) perRun * runs;
            double rowsPerSec = total / (bestLoad / 1e9);
            double baseRowsPerSec = total / (bestBase / 1e9);
            System.out.println(String.format(Locale.ROOT,
                    "{\"bench\":\"fetch\",\"rows\":%d,\"runs\":%d,\"pageRows\":%d,\"kept\":%d,\"rowsPerSec\":%.0f,"
                            + "\"baselineRowsPerSec\":%.0f,\"vsBaseline\":%.3f,\"rowsPerClientCpuSec\":%.0f,"
                            + "\"baselineRowsPerClientCpuSec\":%.0f,\"retainedHeapMiBAtTenth\":%.1f,"
                            + "\"retainedHeapMiB\":%.1f,\"peakHeapMiB\":%.1f,\"maxHeapMiB\":%.0f,\"repeat\":%d}",
                    total, runs, PAGE, last.samples().size(), rowsPerSec, baseRowsPerSec, rowsPerSec / baseRowsPerSec,
                    total / (bestCpu / 1e9), total / (bestBaseCpu / 1e9),
                    small / 1048576.0, big / 1048576.0, peak / 1048576.0,
                    Runtime.getRuntime().maxMemory() / 1048576.0, repeat));
        }
    }

    private static ObjectNode row(int run, long step) {
        int k = (int) ((run * 7919L + step * 104729L) % DISTINCT);
        ObjectNode r = JSON.createObjectNode();
        r.put("_timestamp", NOW.getEpochSecond() - 60.0);
        r.put("task", step % 4 == 3 ? "qa" : "multi_choice");
        r.put("challenge", FakeWandbKeys.challenge("Benchmark question number " + k
                + " about a topic long enough to look like a real SN1 question?"));
        r.put("reference", "ABCD".substring(k % 4, k % 4 + 1));
        r.putArray("MultiChoiceRewardModel_rewards").add(1.0).add(0.0).add(1.0);
        return r;
    }

    private static WandbPublicApi api(FakeWandb fake) {
        WandbHttp http = new WandbHttp(new OkHttpClient(), fake.baseUrl(), Secret.of(KEY), "bench",
                WandbRetry.PER_PAGE, d -> { });
        return new WandbPublicApi(new WandbGraphql(http));
    }

    private static SampleLoad load(WandbPublicApi api, int steps, long seed) {
        WandbSourceSettings options = WandbSourceSettings.defaults().withMode(WandbSourceSettings.Mode.LATEST)
                .withSteps(steps, PAGE).withTarget(Integer.MAX_VALUE);
        WandbSampleSource source = new WandbSampleSource(api, options,
                ValidatorCheck.of(List.of(FakeWandbKeys.hotkey(1)), false), seed, Clock.fixed(NOW, ZoneOffset.UTC),
                d -> { });
        try {
            return source.load();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long baseline(WandbPublicApi api, List<String> names, int perRun) throws IOException {
        long n = 0;
        for (String name : names) {
            for (long from = 0; from < perRun; from += PAGE) {
                n += api.sampledHistory("macrocosmos", "prompting-validators", name,
                        List.of("_timestamp", "_step", "task", "challenge", "reference"), from,
                        Math.min(perRun, from + PAGE), PAGE).size();
            }
        }
        return n;
    }

    /** Heap in use after a full GC while the load's result is still referenced. */
    private static long retainedAfter(java.util.function.Supplier<SampleLoad> work) {
        SampleLoad kept = work.get();
        System.gc();
        long used = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        if (kept.samples().isEmpty()) {
            throw new IllegalStateException("the benchmark load kept nothing");
        }
        return used;
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
