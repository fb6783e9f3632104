package sn37.miner.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import sn37.miner.util.Json;
import sn37.miner.fake.FakeHub;
import sn37.miner.model.ByteTensor;
import sn37.miner.model.CheckpointWriter;
import sn37.miner.model.Dtype;
import sn37.miner.model.GenerationConfig;
import sn37.miner.model.ModelConfig;
import sn37.miner.model.TensorData;
import sn37.miner.competition.CompetitionConstraints;
import sn37.miner.publish.PublishedModel;
import sn37.miner.publish.TinyModels;
import sn37.miner.stage.RunParams;
import sn37.miner.stage.StageException;
import sn37.miner.stage.UploadHarness;

/**
 * The upload stage end to end (pre-flight hashing, preupload, multipart LFS, commit, verification) against the
 * loopback fake Hub, on a generated sharded model: MB/s with parallel parts against the same upload with one part at
 * a time, then an upload killed after 3/4 of its parts and resumed, counting the parts sent twice. One JSON line on
 * stdout; progress on stderr.
 *
 * <p>Usage: {@code UploadBench [--size-mb N] [--shards N] [--chunk-mb N] [--parallel N] [--dir PARENT]}: N MiB of
 * weights (default 1024) in N shards (default 2), N MiB multipart chunks (default 8), N parts in flight (default 4),
 * the model and the fake's state under PARENT (default the temp dir), deleted afterwards.
 */
public final class UploadBench {
    private static final String WRITE = "hf_benchWriteToken0123456789";
    private static final String REPO = FakeHub.USER + "/sn37-bench";
    private static final int TENSOR_BYTES = 32 << 20;

    private record Result(double seconds, int partPuts, int resentParts, int commits) {}

    private UploadBench() {}

    public static void main(String[] args) throws Exception {
        long sizeMb = 1024;
        int shards = 2;
        long chunkMb = 8;
        int parallel = 4;
        Path parent = Path.of(System.getProperty("java.io.tmpdir"));
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--size-mb" -> sizeMb = Long.parseLong(value);
                case "--shards" -> shards = Integer.parseInt(value);
                case "--chunk-mb" -> chunkMb = Long.parseLong(value);
                case "--parallel" -> parallel = Integer.parseInt(value);
                case "--dir" -> parent = Path.of(value);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "': expected --size-mb N,"
                        + " --shards N, --chunk-mb N, --parallel N or --dir PARENT");
            }
        }
        if (sizeMb < shards * (TENSOR_BYTES >> 20) || shards < 1 || chunkMb < 1 || parallel < 1) {
            throw new IllegalArgumentException("need --size-mb >= " + (TENSOR_BYTES >> 20) + " per shard, and --shards,"
                    + " --chunk-mb, --parallel >= 1");
        }
        Path root = Files.createTempDirectory(Files.createDirectories(parent), "upload-bench-");
        try {
            Path model = generate(root.resolve("model"), sizeMb << 20, shards);
            long bytes = weightBytes(model);
            long chunk = chunkMb << 20;
            int parts = 0;
            try (Stream<Path> files = Files.list(model)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".safetensors")).toList()) {
                    parts += (int) ((Files.size(f) + chunk - 1) / chunk);
                }
            }
            log("generated %d bytes in %d shards, %d parts of %d MiB", bytes, shards, parts, chunkMb);
            Path wallets = TinyModels.wallet(root.resolve("wallets"), "bench", "bench");
            RunParams params = Json.mapper().readValue("{\"hf_repo_id\": \"" + REPO + "\", \"upload_dir\": \"" + model
                    + "\", \"wallet_path\": \"" + wallets + "\", \"wallet_name\": \"bench\", \"wallet_hotkey\": \"bench\"}",
                    RunParams.class);

            upload(root.resolve("warmup"), params, chunk, parallel, -1); // JIT and page cache
            Result fast = upload(root.resolve("parallel"), params, chunk, parallel, -1);
            log("%d parts in flight: %.2f s", parallel, fast.seconds);
            Result baseline = upload(root.resolve("sequential"), params, chunk, 1, -1);
            log("1 part in flight: %.2f s", baseline.seconds);
            int killAfter = Math.max(1, parts * 3 / 4);
            Result resumed = upload(root.resolve("interrupted"), params, chunk, parallel, killAfter);
            log("killed after %d parts, resumed: %d part PUTs in all, %d sent twice, %d commit(s)", killAfter,
                    resumed.partPuts, resumed.resentParts, resumed.commits);

            double mb = bytes / 1048576.0;
            System.out.println(String.format(Locale.ROOT, "{\"bench\":\"upload\",\"size_mb\":%.1f,\"shards\":%d,"
                    + "\"chunk_mb\":%d,\"parts\":%d,\"parallel\":%d,\"seconds\":%.3f,\"mb_per_s\":%.1f,"
                    + "\"baseline_parallel\":1,\"baseline_seconds\":%.3f,\"baseline_mb_per_s\":%.1f,\"speedup\":%.2f,"
                    + "\"killed_after_parts\":%d,\"part_puts_with_resume\":%d,\"parts_resent_after_interrupt\":%d,"
                    + "\"commits_after_resume\":%d,\"cpus\":%d}",
                    mb, shards, chunkMb, parts, parallel, fast.seconds, mb / fast.seconds, baseline.seconds,
                    mb / baseline.seconds, baseline.seconds / fast.seconds, killAfter, resumed.partPuts,
                    resumed.resentParts, resumed.commits, Runtime.getRuntime().availableProcessors()));
        } finally {
            delete(root);
        }
    }

    /** One upload on a fresh fake Hub and run store; with {@code killAfterParts} > 0, a crash and a resume. */
    private static Result upload(Path dir, RunParams params, long chunk, int parallel, int killAfterParts)
            throws Exception {
        Files.createDirectories(dir);
        try (FakeHub hub = FakeHub.start(WRITE, "hf_benchReadToken0123456789").chunkSize(chunk).keepRequests(false);
                UploadHarness harness = new UploadHarness(dir, hub.endpoint(), WRITE,
                        CompetitionConstraints::of, parallel)) {
            long t0 = System.nanoTime();
            if (killAfterParts > 0) {
                // the storage fails every part from the one after the N-th on, until the attempt gives up
                AtomicInteger sent = new AtomicInteger();
                Runnable counter = new Runnable() {
                    @Override
                    public void run() {
                        if (sent.incrementAndGet() == killAfterParts) {
                            hub.failNext(FakeHub.Kind.LFS_PART_PUT, 503, 1_000_000);
                        } else {
                            hub.onHandled(FakeHub.Kind.LFS_PART_PUT, this);
                        }
                    }
                };
                hub.onHandled(FakeHub.Kind.LFS_PART_PUT, counter);
                try {
                    harness.run(params);
                    throw new IllegalStateException("the upload was expected to fail after " + killAfterParts + " parts");
                } catch (StageException expected) {
                    hub.clearFaults();
                }
            }
            PublishedModel out = harness.run(params);
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (hub.count(FakeHub.Kind.COMMIT) != 1 || !hub.violations().isEmpty()) {
                throw new IllegalStateException("upload of " + out.repo() + " made " + hub.count(FakeHub.Kind.COMMIT)
                        + " commits, violations " + hub.violations());
            }
            return new Result(seconds, hub.count(FakeHub.Kind.LFS_PART_PUT), hub.resentParts(),
                    hub.count(FakeHub.Kind.COMMIT));
        } finally {
            delete(dir);
            System.gc();
        }
    }

    /** Random BF16 tensors of 32 MiB, split by the real CheckpointWriter into {@code shards} shards. */
    private static Path generate(Path dir, long bytes, int shards) throws IOException {
        ModelConfig config = new ModelConfig(Json.mapper().createObjectNode().put("model_type", "llama"))
                .withArchitectures(List.of("LlamaForCausalLM"));
        SplittableRandom random = new SplittableRandom(37);
        List<TensorData> tensors = new ArrayList<>();
        for (int t = 0; t < bytes / TENSOR_BYTES; t++) {
            byte[] data = new byte[TENSOR_BYTES];
            for (int i = 0; i < data.length; i += 8) {
                long v = random.nextLong();
                for (int k = 0; k < 8; k++) {
                    data[i + k] = (byte) (v >>> (8 * k));
                }
            }
            tensors.add(new ByteTensor("model.layers." + t + ".weight", Dtype.BF16, new long[] {TENSOR_BYTES / 2}, data));
        }
        long perShard = (bytes + shards - 1) / shards;
        CheckpointWriter.write(dir, config, GenerationConfig.fromModelConfig(config), tensors, perShard);
        return dir;
    }

    private static long weightBytes(Path model) throws IOException {
        try (Stream<Path> files = Files.list(model)) {
            long sum = 0;
            for (Path f : files.toList()) {
                sum += Files.size(f);
            }
            return sum;
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void log(String format, Object... args) {
        System.err.println(String.format(Locale.ROOT, format, args));
    }
}
