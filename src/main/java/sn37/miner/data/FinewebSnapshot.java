package sn37.miner.data;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * FINEWEB texts as JSONL ({@code text, id, page, sha256}; nulls omitted; UTF-8; '\n' line ends), written as
 * {@link SnapshotWriter} writes (temp file, fsync, atomic rename), and read back strictly: a blank line, a missing
 * or blank text, or a {@code sha256} that does not match the text is an error naming the line.
 */
public final class FinewebSnapshot {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXPECTED = "expected one {\"text\",\"sha256\"} object a line, as fetch-data writes";

    private FinewebSnapshot() {}

    public static Snapshot write(List<FinewebText> texts, Path target) throws IOException {
        return SnapshotWriter.writeLines(texts, FinewebSnapshot::encode, target);
    }

    public static List<FinewebText> read(Path snapshot) throws IOException {
        return SnapshotLines.read(snapshot, EXPECTED, FinewebSnapshot::parse);
    }

    static byte[] encode(FinewebText t) throws JacksonException {
        ObjectNode node = JSON.createObjectNode();
        node.put("text", t.text());
        if (t.id() != null) {
            node.put("id", t.id());
        }
        if (t.page() != null) {
            node.put("page", t.page());
        }
        node.put("sha256", t.sha256());
        return JSON.writeValueAsBytes(node);
    }

    private static FinewebText parse(String where, JsonNode node) throws IOException {
        if (!node.path("text").isTextual() || node.get("text").textValue().isBlank()) {
            throw new IOException(where + "\"text\" must be a non-blank string");
        }
        FinewebText text = new FinewebText(node.get("text").textValue(),
                node.path("id").isTextual() ? node.get("id").textValue() : null,
                node.path("page").isTextual() ? node.get("page").textValue() : null);
        if (!text.sha256().equals(node.path("sha256").asText())) {
            throw new IOException(where + "\"sha256\" does not match the text: the file was changed after fetch-data"
                    + " wrote it");
        }
        return text;
    }
}
