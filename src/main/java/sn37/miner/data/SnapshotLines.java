package sn37.miner.data;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import sn37.miner.io.InputFiles;

/**
 * Reads a JSONL snapshot fetch-data wrote, strictly: each line must be one JSON object, which {@code parser} turns
 * into a record; a blank line, malformed JSON or another value is an error naming the file and line (never its text).
 */
final class SnapshotLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One object of a line into a record; {@code where} ("snapshot F line N: ") starts its error messages. */
    interface Parser<T> {
        T parse(String where, JsonNode object) throws IOException;
    }

    private SnapshotLines() {}

    /** @param expected what a line should hold, as errors say it ("expected one {…} object a line, …") */
    static <T> List<T> read(Path snapshot, String expected, Parser<T> parser) throws IOException {
        if (!Files.exists(snapshot)) {
            throw new NoSuchFileException(snapshot.toString(), null, "snapshot not found (" + expected + ")");
        }
        String source = "snapshot " + snapshot;
        List<T> records = new ArrayList<>();
        try (InputStream in = InputFiles.open(snapshot, "snapshot")) {
            Utf8Lines.read(in, source, new Utf8Lines.Limits(JsonlSampleSource.MAX_LINE_BYTES,
                    JsonlSampleSource.MAX_FILE_BYTES), () -> false, (lineNo, text) -> {
                String where = source + " line " + lineNo + ": ";
                records.add(parser.parse(where, object(where, text, expected)));
                return true;
            });
        }
        return records;
    }

    private static JsonNode object(String where, String line, String expected) throws IOException {
        if (line.isBlank()) {
            throw new IOException(where + "blank line (" + expected + ")");
        }
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JacksonException e) {
            throw new IOException(where + JsonlFormat.malformed(e));
        }
        if (node == null || !node.isObject()) {
            throw new IOException(where + "not a JSON object (" + expected + ")");
        }
        return node;
    }
}
