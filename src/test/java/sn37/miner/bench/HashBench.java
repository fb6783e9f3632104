package sn37.miner.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import sn37.miner.metadata.DirectoryHash;

/**
 * Directory-hash throughput on a generated model dir (4 shards + config.json): the parallel {@link
 * DirectoryHash} against a single-threaded hash with 64 KiB reads, the way taoverse's {@code get_hash_of_file}
 * reads through hashlib. Prints one JSON line on stdout; progress goes to stderr.
 *
 * <p>Usage: {@code HashBench [--size-mb N] [--dir PARENT] [--threads N] [--repeat N]}: N MiB in all (default
 * 2048), the model dir created in PARENT (default the temp dir) and deleted afterwards, N hashing threads
 * (default the available processors), N rounds of both hashes with the fastest of each reported (default 3,
 * since other work on a small machine adds noise).
 */
public final class HashBench {

    private static final int SHARDS = 4;
    private static final int PYTHON_BLOCK = 64 * 1024;
    private static final int PATTERN_BYTES = 8 << 20;
    private static final String CONFIG =
            "{\n  \"architectures\": [\"LlamaForCausalLM\"],\n  \"model_type\": \"llama\",\n"
                    + "  \"torch_dtype\": \"bfloat16\"\n}\n";

    private HashBench() {
    }

    public static void main(String[] args) throws IOException {
        long sizeMb = 2048;
        Path parent = Path.of(System.getProperty("java.io.tmpdir"));
        int threads = Runtime.getRuntime().availableProcessors();
        int repeat = 3;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--size-mb" -> sizeMb = Long.parseLong(required(args[i], value));
                case "--dir" -> parent = Path.of(required(args[i], value));
                case "--threads" -> threads = Integer.parseInt(required(args[i], value));
                case "--repeat" -> repeat = Integer.parseInt(required(args[i], value));
                default -> throw new IllegalArgumentException(
                        "unknown argument '" + args[i] + "': expected --size-mb N, --dir PARENT, --threads N"
                                + " or --repeat N");
            }
            i++;
        }
        if (sizeMb < SHARDS) {
            throw new IllegalArgumentException("--size-mb is " + sizeMb + ", expected at least " + SHARDS);
        }
        if (repeat < 1) {
            throw new IllegalArgumentException("--repeat is " + repeat + ", expected at least 1");
        }

        Path dir = Files.createTempDirectory(Files.createDirectories(parent), "hash-bench-");
        boolean equal;
        try {
            long bytes = generate(dir, sizeMb << 20);
            List<String> files = DirectoryHash.walkOrder(dir);
            log("generated %d files, %d bytes in %s", files.size(), bytes, dir);
            warmPageCache(dir, files);
            warmJit();

            String parallel = null;
            String sequential = null;
            long parallelNanos = Long.MAX_VALUE;
            long sequentialNanos = Long.MAX_VALUE;
            for (int r = 1; r <= repeat; r++) {
                long t0 = System.nanoTime();
                parallel = DirectoryHash.of(dir, threads);
                long t1 = System.nanoTime();
                sequential = sequentialHash(dir, files);
                long t2 = System.nanoTime();
                log("round %d: parallel %.3f s, sequential %.3f s", r, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
                parallelNanos = Math.min(parallelNanos, t1 - t0);
                sequentialNanos = Math.min(sequentialNanos, t2 - t1);
            }

            double parallelGbs = bytes / (parallelNanos / 1e9) / 1e9;
            double sequentialGbs = bytes / (sequentialNanos / 1e9) / 1e9;
            equal = parallel.equals(sequential);
            System.out.println(
                    String.format(
                            Locale.ROOT,
                            "{\"bench\":\"hash\",\"bytes\":%d,\"files\":%d,\"parallel_gb_s\":%.3f,"
                                    + "\"sequential_gb_s\":%.3f,\"speedup\":%.2f,\"threads\":%d,\"repeat\":%d,\"hashes_equal\":%b,"
                                    + "\"dir_hash\":\"%s\"}",
                            bytes, files.size(), parallelGbs, sequentialGbs, parallelGbs / sequentialGbs, threads,
                            repeat, equal, parallel));
            if (!equal) {
                log("parallel hash %s differs from sequential hash %s", parallel, sequential);
            }
        } finally {
            deleteTree(dir);
        }
        if (!equal) {
            System.exit(1);
        }
    }

    /** Shards of pseudo-random bytes: an 8 MiB random pattern, each copy stamped with its offset. */
    private static long generate(Path dir, long totalBytes) throws IOException {
        Files.writeString(dir.resolve("config.json"), CONFIG);
        byte[] pattern = new byte[PATTERN_BYTES];
        SplittableRandom random = new SplittableRandom(37);
        for (int i = 0; i < pattern.length; i += 8) {
            ByteBuffer.wrap(pattern, i, 8).putLong(random.nextLong());
        }
        long shardBytes = totalBytes / SHARDS;
        long written = CONFIG.getBytes(StandardCharsets.UTF_8).length;
        for (int s = 1; s <= SHARDS; s++) {
            Path shard = dir.resolve(String.format(Locale.ROOT, "model-%05d-of-%05d.safetensors", s, SHARDS));
            try (FileChannel out = FileChannel.open(shard, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                for (long at = 0; at < shardBytes; at += PATTERN_BYTES) {
                    ByteBuffer.wrap(pattern).putLong(0, at ^ ((long) s << 56));
                    ByteBuffer chunk = ByteBuffer.wrap(pattern, 0, (int) Math.min(PATTERN_BYTES, shardBytes - at));
                    while (chunk.hasRemaining()) {
                        out.write(chunk);
                    }
                }
                // flush now, so write-back does not compete with the hashing for CPU
                out.force(false);
            }
            written += shardBytes;
        }
        return written;
    }

    private static void warmPageCache(Path dir, List<String> files) throws IOException {
        long t = System.nanoTime();
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        for (String file : files) {
            try (FileChannel in = FileChannel.open(dir.resolve(file), StandardOpenOption.READ)) {
                while (in.read(buffer.clear()) >= 0) {
                    // read only to load the page cache
                }
            }
        }
        log("page cache warmed in %.3f s", (System.nanoTime() - t) / 1e9);
    }

    /** Compiles the digest paths both contenders use, so neither pays for the interpreter. */
    private static void warmJit() {
        byte[] data = new byte[PYTHON_BLOCK];
        ByteBuffer direct = ByteBuffer.allocateDirect(1 << 20);
        MessageDigest digest = sha256();
        for (int i = 0; i < 2000; i++) {
            digest.update(data);
            digest.update(direct.clear());
        }
        digest.digest();
    }

    /** One thread, one file at a time, 64 KiB reads, like taoverse get_hash_of_directory on CPython. */
    private static String sequentialHash(Path dir, List<String> files) throws IOException {
        MessageDigest dirDigest = sha256();
        MessageDigest fileDigest = sha256();
        byte[] block = new byte[PYTHON_BLOCK];
        for (String file : files) {
            fileDigest.reset();
            try (InputStream in = Files.newInputStream(dir.resolve(file))) {
                for (int n = in.read(block); n >= 0; n = in.read(block)) {
                    fileDigest.update(block, 0, n);
                }
            }
            String fileHash = Base64.getEncoder().encodeToString(fileDigest.digest());
            dirDigest.update(fileHash.getBytes(StandardCharsets.UTF_8));
        }
        return Base64.getEncoder().encodeToString(dirDigest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(HashBench::delete);
        }
        log("deleted %s", dir);
    }

    private static void delete(Path path) {
        try {
            Files.delete(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }

    private static String required(String flag, String value) {
        if (value == null) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return value;
    }

    private static void log(String format, Object... args) {
        System.err.println("[hash-bench] " + String.format(Locale.ROOT, format, args));
    }
}
