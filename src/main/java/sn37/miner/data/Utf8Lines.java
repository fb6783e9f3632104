package sn37.miner.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import sn37.miner.io.InputFileException;
import sn37.miner.io.InputFiles;

/**
 * Streams a byte source line by line ('\n', with an optional '\r' before it), decoding each line
 * as strict UTF-8, and hashes every byte on the way. Lines are split on bytes rather than through
 * a Reader so that a decoding error can be pinned to its exact line. A line past {@link Limits#maxLineBytes()}
 * or a source past {@link Limits#maxFileBytes()} stops the read with an error naming the limit, and the cancel flag
 * is polled every {@value #CANCEL_CHECK_BYTES} bytes, so that {@code /dev/zero} neither fills the heap nor blocks.
 */
final class Utf8Lines {

    interface Handler {
        /** @return false to stop reading lines (the rest of the source is still hashed) */
        boolean line(int number, String text) throws IOException;
    }

    record Stats(String sha256, long bytes) {
    }

    /** Most bytes one line (without its '\n') and the whole source may have. */
    record Limits(int maxLineBytes, long maxFileBytes) {
        Limits {
            if (maxLineBytes < 1 || maxLineBytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("maxLineBytes must be in [1, 2^31 - 9], got " + maxLineBytes);
            }
            if (maxFileBytes < 1) {
                throw new IllegalArgumentException("maxFileBytes must be positive, got " + maxFileBytes);
            }
        }
    }

    private static final int CHUNK = 64 * 1024;
    /** A cancel check asks the run store, so it is spaced by bytes read, not done per chunk. */
    static final int CANCEL_CHECK_BYTES = 4 * 1024 * 1024;

    private Utf8Lines() {
    }

    static Stats read(InputStream in, String source, Limits limits, BooleanSupplier cancelled, Handler handler)
            throws IOException {
        MessageDigest digest = sha256();
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        byte[] chunk = new byte[CHUNK];
        byte[] line = new byte[256];
        int lineLen = 0;
        int lineNo = 0;
        long total = 0;
        long nextCancelCheck = 0;
        boolean reading = true;
        int n;
        while (true) {
            if (total >= nextCancelCheck) {
                if (cancelled.getAsBoolean()) {
                    throw new CancellationException("reading " + source + " cancelled on request after " + total
                            + " bytes");
                }
                nextCancelCheck = total + CANCEL_CHECK_BYTES;
            }
            if ((n = in.read(chunk)) == -1) {
                break;
            }
            total += n;
            if (total > limits.maxFileBytes()) {
                throw new InputFileException(source, "is larger than the " + InputFiles.limit(limits.maxFileBytes())
                        + " limit for a data file");
            }
            digest.update(chunk, 0, n);
            int start = 0;
            for (int i = 0; reading && i < n; i++) {
                if (chunk[i] != '\n') {
                    continue;
                }
                line = append(line, lineLen, chunk, start, i - start, lineNo + 1, source, limits);
                lineLen += i - start;
                start = i + 1;
                lineNo++;
                reading = handler.line(lineNo, decode(decoder, line, lineLen, lineNo, source));
                lineLen = 0;
            }
            if (reading) {
                line = append(line, lineLen, chunk, start, n - start, lineNo + 1, source, limits);
                lineLen += n - start;
            }
        }
        if (reading && lineLen > 0) {
            lineNo++;
            handler.line(lineNo, decode(decoder, line, lineLen, lineNo, source));
        }
        return new Stats(HexFormat.of().formatHex(digest.digest()), total);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private static byte[] append(byte[] line, int lineLen, byte[] src, int from, int count, int lineNo,
            String source, Limits limits) throws InputFileException {
        if (count == 0) {
            return line;
        }
        long needed = (long) lineLen + count;
        if (needed > limits.maxLineBytes()) {
            throw new InputFileException("line " + lineNo + " of " + source, "is longer than the "
                    + InputFiles.limit(limits.maxLineBytes()) + " limit per line (expected JSONL: one JSON object"
                    + " per line)");
        }
        byte[] target = line;
        if (needed > line.length) {
            // long arithmetic: doubling a large buffer must not overflow into a negative size
            long grown = Math.min(Math.max(2L * line.length, needed), limits.maxLineBytes());
            target = Arrays.copyOf(line, (int) grown);
        }
        System.arraycopy(src, from, target, lineLen, count);
        return target;
    }

    private static String decode(CharsetDecoder decoder, byte[] line, int len, int lineNo, String source)
            throws IOException {
        int from = 0;
        if (len > 0 && line[len - 1] == '\r') {
            len--;
        }
        // A UTF-8 byte order mark is legal at the start of a file but is not part of the first row.
        if (lineNo == 1 && len >= 3 && (line[0] & 0xff) == 0xEF && (line[1] & 0xff) == 0xBB
                && (line[2] & 0xff) == 0xBF) {
            from = 3;
        }
        ByteBuffer bytes = ByteBuffer.wrap(line, from, len - from);
        // Every UTF-8 byte yields at most one char, so this buffer cannot overflow.
        CharBuffer chars = CharBuffer.allocate(len - from);
        decoder.reset();
        CoderResult result = decoder.decode(bytes, chars, true);
        if (!result.isError()) {
            result = decoder.flush(chars);
        }
        if (result.isError()) {
            throw new IOException("invalid UTF-8 in " + source + " at line " + lineNo
                    + ", byte " + (bytes.position() - from + 1) + " of the line"
                    + " (expected UTF-8 encoded JSONL)");
        }
        chars.flip();
        return chars.toString();
    }
}
