package sn37.miner.data;

import com.fasterxml.jackson.core.JacksonException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import sn37.miner.io.InputFiles;

/**
 * Writes kept samples as JSONL ({@code challenge, reference, id, hotkey, timestamp}; nulls
 * omitted; UTF-8; '\n' line ends) so an evaluation can be rerun on exactly the same data, and
 * reads such a file back.
 */
public final class SnapshotWriter {

    private SnapshotWriter() {
    }

    /**
     * Writes {@code target + ".tmp"} beside the target, fsyncs it, then renames it over the
     * target atomically, so readers see either the old snapshot or the complete new one.
     */
    public static Snapshot write(List<McSample> samples, Path target) throws IOException {
        return writeLines(samples, JsonlFormat::encode, target);
    }

    /** One row as the bytes of its line, without the line end. */
    interface LineEncoder<T> {
        byte[] apply(T row) throws IOException;
    }

    /** {@link #write}'s temp-fsync-rename for any rows, one {@code encode(row)} a line. */
    static <T> Snapshot writeLines(List<T> rows, LineEncoder<T> encode, Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        Path tmp = absolute.resolveSibling(absolute.getFileName() + ".tmp");
        MessageDigest digest = Utf8Lines.sha256();
        long size;
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                // Not closed itself: closing would close the channel before force().
                OutputStream out = new DigestOutputStream(
                        new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024), digest);
                for (T row : rows) {
                    out.write(encode.apply(row));
                    out.write('\n');
                }
                out.flush();
                channel.force(true);
                size = channel.size();
            }
            Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        syncDirectory(dir);
        return new Snapshot(target, size, HexFormat.of().formatHex(digest.digest()), rows.size());
    }

    /**
     * Reads a snapshot back. Unlike {@link JsonlSampleSource} nothing is skipped: a blank line or
     * any invalid row means the file is not one this class wrote, and is an error.
     */
    public static List<McSample> read(Path snapshot) throws IOException {
        if (Files.isDirectory(snapshot)) {
            throw new IOException("snapshot path is a directory: " + snapshot
                    + " (expected a JSONL file written by SnapshotWriter)");
        }
        if (!Files.exists(snapshot)) {
            throw new NoSuchFileException(snapshot.toString(), null,
                    "snapshot not found (expected a JSONL file written by SnapshotWriter)");
        }
        String source = "snapshot " + snapshot;
        List<McSample> samples = new ArrayList<>();
        try (InputStream in = InputFiles.open(snapshot, "snapshot")) {
            Utf8Lines.read(in, source, new Utf8Lines.Limits(JsonlSampleSource.MAX_LINE_BYTES,
                    JsonlSampleSource.MAX_FILE_BYTES), () -> false, (lineNo, text) -> {
                samples.add(parse(source, lineNo, text));
                return true;
            });
        }
        return samples;
    }

    private static McSample parse(String source, int lineNo, String text) throws IOException {
        String where = source + " line " + lineNo + ": ";
        if (text.isBlank()) {
            throw new IOException(where + "blank line (expected one {\"challenge\",\"reference\"} object per line)");
        }
        RowCheck.Verdict verdict;
        try {
            verdict = RowCheck.check(JsonlFormat.parse(text));
        } catch (JacksonException e) {
            throw new IOException(where + JsonlFormat.malformed(e));
        }
        if (!verdict.kept()) {
            throw new IOException(where + verdict.detail());
        }
        return verdict.sample();
    }

    // Makes the rename itself durable. Some platforms cannot open a directory for sync; the
    // snapshot is complete either way, so that is not an error.
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort
        }
    }
}
