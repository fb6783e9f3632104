package sn37.miner.train.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressTailTest {
    @TempDir Path dir;

    private void append(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void readsEachCompleteLineOnceFromItsOffsetAndWaitsForALineBeingWritten() throws Exception {
        Path file = dir.resolve("progress.jsonl");
        ProgressTail before = new ProgressTail(file, 0);
        assertEquals(List.of(), before.read(), "no file yet");
        append(file, "{\"event\":\"old\"}\n");
        ProgressTail tail = new ProgressTail(file, ProgressTail.end(file));
        append(file, "{\"event\":\"start\"}\nnot json\n{\"event\":\"step\",\"st");
        assertEquals(List.of("start"), tail.read().stream().map(e -> e.path("event").asText()).toList());
        append(file, "ep\":1}\n");
        List<JsonNode> next = tail.read();
        assertEquals(1, next.size());
        assertEquals(1, next.get(0).path("step").asInt());
        assertEquals(List.of(), tail.read());
        assertEquals(Files.size(file), tail.offset());
    }
}
