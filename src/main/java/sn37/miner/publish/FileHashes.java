package sn37.miner.publish;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import sn37.miner.metadata.DirectoryHash;
import sn37.miner.metadata.WalkOrder;

/**
 * SHA-256 of each file, in parallel (largest first), read once: the hex digests are the LFS oids the Hub reports,
 * and {@link #directoryHash} combines them into taoverse's directory hash without reading the files again.
 */
final class FileHashes {
    private FileHashes() {}

    /** Relative path → sha256 hex, in the order of {@code relativePaths}. */
    static Map<String, String> sha256Hex(Path root, List<String> relativePaths) throws IOException {
        List<String> bySize = new ArrayList<>(relativePaths);
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (String path : relativePaths) {
            sizes.put(path, Files.size(root.resolve(path)));
        }
        bySize.sort(Comparator.comparing(sizes::get).reversed());
        int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), bySize.size()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "publish-hash");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<String, Future<String>> running = new LinkedHashMap<>();
            for (String path : bySize) {
                running.put(path, pool.submit(() -> hex(DirectoryHash.fileHash(root.resolve(path)))));
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (String path : relativePaths) {
                out.put(path, running.get(path).get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing " + root);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw new IOException("hashing " + root + " failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** taoverse's directory hash of these files (paths relative to one root) from their sha256 hex digests. */
    static String directoryHash(Map<String, String> sha256HexByPath) {
        List<String> fileHashes = new ArrayList<>();
        for (String path : WalkOrder.sort(sha256HexByPath.keySet())) {
            fileHashes.add(DirectoryHash.fileHashOfSha256Hex(sha256HexByPath.get(path)));
        }
        return DirectoryHash.ofFileHashes(fileHashes);
    }

    private static String hex(String base64) {
        return HexFormat.of().formatHex(Base64.getDecoder().decode(base64));
    }
}
