package sn37.miner.train.torch;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import sn37.miner.util.Json;

/**
 * Reads the events the trainer appends to progress.jsonl, from a byte offset on: only complete lines (a line the
 * trainer is still writing is read on the next call), each once. A line that is not a JSON object is skipped.
 */
public final class ProgressTail {
    /** At most this much is read per call: a step event is about 200 bytes. */
    private static final int CHUNK = 1 << 20;

    private final Path file;
    private long offset;

    /** @param offset where this job's events begin: the file's size when it was submitted */
    public ProgressTail(Path file, long offset) {
        this.file = file;
        this.offset = offset;
    }

    /** The size of {@code file} now, 0 when it does not exist yet. */
    public static long end(Path file) throws IOException {
        return Files.exists(file) ? Files.size(file) : 0;
    }

    public long offset() {
        return offset;
    }

    /** The events completed since the last call. */
    public List<JsonNode> read() throws IOException {
        List<JsonNode> events = new ArrayList<>();
        ByteBuffer buffer;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            if (size <= offset) return events;
            buffer = ByteBuffer.allocate((int) Math.min(CHUNK, size - offset));
            while (buffer.hasRemaining() && in.read(buffer, offset + buffer.position()) > 0) {
                // read until the chunk is full or the file ends
            }
        } catch (NoSuchFileException e) {
            return events;
        }
        byte[] bytes = buffer.array();
        int limit = buffer.position();
        int start = 0;
        for (int i = 0; i < limit; i++) {
            if (bytes[i] != '\n') continue;
            String line = new String(bytes, start, i - start, StandardCharsets.UTF_8).strip();
            start = i + 1;
            if (line.isEmpty()) continue;
            try {
                JsonNode event = Json.mapper().readTree(line);
                if (event != null && event.isObject()) events.add(event);
            } catch (IOException notJson) {
                // not an event: the trainer writes one JSON object per line
            }
        }
        offset += start;
        return events;
    }
}
