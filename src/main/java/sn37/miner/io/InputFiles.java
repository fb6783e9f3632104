package sn37.miner.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Opens and reads files a user names (a data file, a config.json, a tokenizer, a key file, {@code .env}): only
 * regular files, and never more than a stated number of bytes, so that {@code /dev/zero}, a FIFO or a directory is
 * refused up front instead of filling the heap or blocking. Errors name the file and the limit, not its content.
 */
public final class InputFiles {
    public static final long KIB = 1024;
    public static final long MIB = 1024 * KIB;
    public static final long GIB = 1024 * MIB;

    /** A config.json, tokenizer_config.json or .env: a few KiB in practice. */
    public static final long SMALL_FILE_CAP = 4 * MIB;

    private InputFiles() {}

    /**
     * Opens {@code file} for reading after checking that it is a regular file (a link to one is fine).
     *
     * @param what what the file is meant to be, for messages: "SN1 data file", "config.json"
     */
    public static InputStream open(Path file, String what) throws IOException {
        requireRegularFile(file, what);
        return Files.newInputStream(file);
    }

    /** Every byte of a regular file of at most {@code cap} bytes, read without trusting its stated size. */
    public static byte[] readAll(Path file, long cap, String what) throws IOException {
        if (cap < 0 || cap > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("cap must be in [0, " + (Integer.MAX_VALUE - 8) + "], got " + cap);
        }
        long size = requireRegularFile(file, what);
        if (size > cap) {
            throw tooLarge(file, what, cap);
        }
        try (InputStream in = Files.newInputStream(file)) {
            // A file that grows after the size check is still cut at cap + 1 bytes.
            byte[] bytes = in.readNBytes((int) cap + 1);
            if (bytes.length > cap) {
                throw tooLarge(file, what, cap);
            }
            return bytes;
        }
    }

    /** {@link #readAll} decoded as strict UTF-8; a byte that is not UTF-8 is named by its offset. */
    public static String readUtf8(Path file, long cap, String what) throws IOException {
        byte[] bytes = readAll(file, cap, what);
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InputFileException(what + " " + file, "is not valid UTF-8 text");
        }
    }

    /** @return the file's size */
    public static long requireRegularFile(Path file, String what) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, what + " not found");
        }
        if (!attrs.isRegularFile()) {
            throw new InputFileException(what + " " + file, "is " + kind(file, attrs) + ", not a regular file");
        }
        return attrs.size();
    }

    /** Why reading failed, in words and without the exception's class: "permission denied", "is a directory". */
    public static String why(IOException e) {
        if (e instanceof InputFileException f) return f.reason();
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof NoSuchFileException) return "no such file";
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) return f.getReason();
        return "an I/O error";
    }

    /** "the 16 MiB limit": a limit as an error message names it. */
    public static String limit(long bytes) {
        if (bytes >= GIB && bytes % GIB == 0) return bytes / GIB + " GiB";
        if (bytes >= MIB && bytes % MIB == 0) return bytes / MIB + " MiB";
        if (bytes >= KIB && bytes % KIB == 0) return bytes / KIB + " KiB";
        return bytes + " bytes";
    }

    private static InputFileException tooLarge(Path file, String what, long cap) {
        return new InputFileException(what + " " + file, "is larger than the " + limit(cap) + " limit for such a file");
    }

    private static String kind(Path file, BasicFileAttributes attrs) {
        if (attrs.isDirectory()) return "a directory";
        try {
            int mode = (Integer) Files.getAttribute(file, "unix:mode", new LinkOption[0]);
            return switch (mode & 0170000) {
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0010000 -> "a FIFO (named pipe)";
                case 0140000 -> "a socket";
                default -> "a special file";
            };
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            return "a device, FIFO or socket";
        }
    }
}
