package sn37.miner.metadata;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * taoverse {@code storage/disk/utils.py get_hash_of_directory}: one running SHA-256 fed with the UTF-8 of each
 * file's base64 hash (the 44-char text, not the digest) in {@link WalkOrder}; the result is its base64.
 *
 * <p>Files are hashed in parallel by a bounded pool (largest first) and streamed through a fixed 1 MiB
 * buffer per thread, so memory stays constant however large the shards; the file hashes are combined in walk
 * order afterwards. A symlinked file is hashed by its target's bytes: validators "realize" symlinks (move
 * the blob into the snapshot) before hashing, which gives the same bytes. Symlinked directories are not
 * descended into, as with os.walk. Unlike os.walk, which silently skips what it cannot list (a missing root
 * hashes like an empty one), a missing or unreadable directory or file is an error here.
 */
public final class DirectoryHash {

    static final int BUFFER_BYTES = 1 << 20;

    private DirectoryHash() {
    }

    /** The directory hash using one thread per available processor. */
    public static String of(Path dir) {
        return of(dir, defaultThreads());
    }

    /** The directory hash using at most {@code threads} threads. */
    public static String of(Path dir, int threads) {
        return hashInOrder(dir, WalkOrder.list(dir), threads);
    }

    /**
     * The directory hash of exactly the given files under {@code root}, taken in the order an os.walk of
     * {@code root} would visit them; other files under {@code root} do not count.
     */
    public static String ofFiles(Path root, List<String> relativePaths) {
        return ofFiles(root, relativePaths, defaultThreads());
    }

    public static String ofFiles(Path root, List<String> relativePaths, int threads) {
        return hashInOrder(root, WalkOrder.sort(relativePaths), threads);
    }

    /** The files under {@code dir} as '/'-separated relative paths, in the order their hashes are combined. */
    public static List<String> walkOrder(Path dir) {
        return WalkOrder.list(dir);
    }

    /** taoverse {@code get_hash_of_file}: base64(SHA-256(bytes)), 44 chars. */
    public static String fileHash(Path file) {
        return hashFile(file, Sha256.newDigest(), ByteBuffer.allocateDirect(BUFFER_BYTES));
    }

    /**
     * The file hash of a file whose SHA-256 is known as hex, e.g. the LFS oid the Hub reports for an upload.
     */
    public static String fileHashOfSha256Hex(String sha256Hex) {
        Objects.requireNonNull(sha256Hex, "sha256Hex must not be null");
        if (sha256Hex.length() != 64) {
            throw new IllegalArgumentException(
                    "SHA-256 '" + sha256Hex + "' has " + sha256Hex.length() + " characters, expected 64 hex digits");
        }
        try {
            return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256Hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SHA-256 '" + sha256Hex + "' is not hex: expected 64 hex digits", e);
        }
    }

    /** Combines file hashes already in walk order: base64(SHA-256 of the concatenated UTF-8 hash texts). */
    public static String ofFileHashes(List<String> fileHashesInWalkOrder) {
        MessageDigest dirDigest = Sha256.newDigest();
        for (String fileHash : fileHashesInWalkOrder) {
            dirDigest.update(fileHash.getBytes(StandardCharsets.UTF_8));
        }
        return Base64.getEncoder().encodeToString(dirDigest.digest());
    }

    static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    private static String hashInOrder(Path root, List<String> ordered, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads is " + threads + ", expected at least 1");
        }
        List<Path> files = new ArrayList<>(ordered.size());
        for (String relative : ordered) {
            files.add(root.resolve(relative));
        }
        String[] hashes = new String[files.size()];
        int workers = Math.min(threads, files.size());
        if (workers <= 1) {
            MessageDigest digest = Sha256.newDigest();
            ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
            for (int i = 0; i < hashes.length; i++) {
                hashes[i] = hashFile(files.get(i), digest, buffer);
            }
        } else {
            hashInParallel(files, hashes, workers);
        }
        return ofFileHashes(List.of(hashes));
    }

    private static void hashInParallel(List<Path> files, String[] hashes, int workers) {
        // Largest files first, so one big shard does not start last and leave the other threads idle.
        long[] sizes = new long[files.size()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = sizeOf(files.get(i));
        }
        int[] queue =
                IntStream.range(0, sizes.length)
                        .boxed()
                        .sorted(Comparator.comparingLong((Integer i) -> sizes[i]).reversed())
                        .mapToInt(Integer::intValue)
                        .toArray();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        workers,
                        task -> {
                            Thread thread = new Thread(task, "directory-hash");
                            thread.setDaemon(true);
                            return thread;
                        });
        try {
            List<Future<?>> running = new ArrayList<>(workers);
            for (int w = 0; w < workers; w++) {
                running.add(
                        pool.submit(
                                () -> {
                                    MessageDigest digest = Sha256.newDigest();
                                    ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
                                    for (int k = next.getAndIncrement(); k < queue.length; k = next.getAndIncrement()) {
                                        int index = queue[k];
                                        hashes[index] = hashFile(files.get(index), digest, buffer);
                                    }
                                }));
            }
            for (Future<?> worker : running) {
                worker.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("directory hash worker failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(
                    new InterruptedIOException("interrupted while hashing " + files.size() + " files"));
        } finally {
            pool.shutdownNow();
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash " + file + " (expected a readable file): " + e, e);
        }
    }

    private static String hashFile(Path file, MessageDigest digest, ByteBuffer buffer) {
        digest.reset();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (true) {
                buffer.clear();
                if (channel.read(buffer) < 0) {
                    break;
                }
                buffer.flip();
                digest.update(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash " + file + " (expected a readable file): " + e, e);
        }
        return Base64.getEncoder().encodeToString(digest.digest());
    }
}
