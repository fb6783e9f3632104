package sn37.miner.data;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;
import sn37.miner.io.InputFileException;
import sn37.miner.io.InputFiles;

/**
 * SN1 samples from a JSONL file (one {@code {"challenge", "reference", ...}} object per line) or
 * from the bundled classpath sample {@value #BUNDLED_RESOURCE}. Blank lines are skipped; every
 * other line counts as a row and is kept or dropped with a reason. Only a regular file is read, up to
 * {@link #MAX_LINE_BYTES} per line and {@link #MAX_FILE_BYTES} in all; no error quotes the file's text.
 */
public final class JsonlSampleSource implements SampleSource {

    public static final String BUNDLED_RESOURCE = "sn1/sample-mc.jsonl";

    /** An SN1 row is a few KiB; a line this long is not JSONL (a binary file, a device). */
    public static final int MAX_LINE_BYTES = (int) (16 * InputFiles.MIB);

    /** The SN1 history a validator logs in months is far below this. */
    public static final long MAX_FILE_BYTES = 4 * InputFiles.GIB;

    private static final String EXPECTED =
            "expected a JSONL file with one {\"challenge\",\"reference\"} object per line";

    private final Path file;
    private final int limit;
    private final Utf8Lines.Limits sizes;

    private JsonlSampleSource(Path file, int limit, Utf8Lines.Limits sizes) {
        this.file = file;
        this.limit = limit;
        this.sizes = sizes;
    }

    public static JsonlSampleSource of(Path file) {
        return new JsonlSampleSource(Objects.requireNonNull(file, "file"), 0,
                new Utf8Lines.Limits(MAX_LINE_BYTES, MAX_FILE_BYTES));
    }

    public static JsonlSampleSource bundled() {
        return new JsonlSampleSource(null, 0, new Utf8Lines.Limits(MAX_LINE_BYTES, MAX_FILE_BYTES));
    }

    /** Same source with other size limits, so tests need not write gigabytes. */
    JsonlSampleSource withSizeLimits(int maxLineBytes, long maxFileBytes) {
        return new JsonlSampleSource(file, limit, new Utf8Lines.Limits(maxLineBytes, maxFileBytes));
    }

    /** Same source, but loading stops once {@code limit} valid samples are kept. */
    public JsonlSampleSource withLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        return new JsonlSampleSource(file, limit, sizes);
    }

    public OptionalInt limit() {
        return limit == 0 ? OptionalInt.empty() : OptionalInt.of(limit);
    }

    @Override
    public String describe() {
        return file == null ? "jsonl:bundled:" + BUNDLED_RESOURCE : "jsonl:" + file;
    }

    @Override
    public SampleLoad load() throws IOException {
        return load(() -> false);
    }

    /**
     * @param cancelled polled while reading; when it turns true the load stops with a
     *     {@link java.util.concurrent.CancellationException}
     * @throws DataSourceException if the source is missing, not a regular file, or has no valid row
     * @throws IOException if reading fails, a size limit is passed or the bytes are not UTF-8 (the message names
     *     the line and the limit)
     */
    @Override
    public SampleLoad load(BooleanSupplier cancelled) throws IOException {
        SampleCollector collector = limit == 0 ? new SampleCollector() : new SampleCollector(limit);
        Utf8Lines.Stats stats;
        try (InputStream in = open()) {
            stats = Utf8Lines.read(in, describe(), sizes, cancelled, (lineNo, text) -> {
                accept(collector, lineNo, text);
                return !collector.isFull();
            });
        }
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("source", describe());
        provenance.put("sha256", stats.sha256());
        provenance.put("bytes", stats.bytes());
        SampleLoad load = collector.finish(provenance);
        if (load.samples().isEmpty()) {
            throw new DataSourceException(noValidRow(load));
        }
        return load;
    }

    private static void accept(SampleCollector collector, int lineNo, String text) {
        if (text.isBlank()) {
            return;
        }
        String where = "line " + lineNo;
        JsonNode row;
        try {
            row = JsonlFormat.parse(text);
        } catch (JacksonException e) {
            collector.reject(where, DropReason.MALFORMED_JSON, JsonlFormat.malformed(e));
            return;
        }
        collector.offer(where, row);
    }

    private InputStream open() throws IOException {
        if (file == null) {
            InputStream in = JsonlSampleSource.class.getClassLoader().getResourceAsStream(BUNDLED_RESOURCE);
            if (in == null) {
                throw new DataSourceException("bundled SN1 sample not found on the classpath: "
                        + BUNDLED_RESOURCE + " (expected it inside the application jar)");
            }
            return in;
        }
        try {
            if (InputFiles.requireRegularFile(file, "SN1 data file") > sizes.maxFileBytes()) {
                throw new DataSourceException("SN1 data file " + file + " is larger than the "
                        + InputFiles.limit(sizes.maxFileBytes()) + " limit for a data file (" + EXPECTED + ")");
            }
            return InputFiles.open(file, "SN1 data file");
        } catch (InputFileException e) {
            throw new DataSourceException(e.getMessage() + " (" + EXPECTED + ")", e);
        } catch (NoSuchFileException e) {
            throw new DataSourceException("SN1 data file not found: " + file + " (" + EXPECTED + ")", e);
        } catch (AccessDeniedException e) {
            throw new DataSourceException("SN1 data file not readable: " + file
                    + " (permission denied; " + EXPECTED + ")", e);
        }
    }

    private String noValidRow(SampleLoad load) {
        StringBuilder msg = new StringBuilder("no valid multiple-choice row in ")
                .append(describe()).append(": ").append(load.rowsRead()).append(" rows read");
        if (load.rowsRead() == 0) {
            return msg.append(" (the file is empty or has only blank lines; ").append(EXPECTED).append(")")
                    .toString();
        }
        msg.append("; dropped: ").append(load.droppedText());
        if (!load.examples().isEmpty()) {
            msg.append("; e.g. ").append(String.join("; ", load.examples()));
        }
        return msg.toString();
    }
}
