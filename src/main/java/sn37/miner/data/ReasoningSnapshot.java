package sn37.miner.data;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reasoning samples as JSONL ({@code task, id, kind, question, reference, sha256}; nulls omitted; UTF-8; '\n' line
 * ends), written as {@link SnapshotWriter} writes (temp file, fsync, atomic rename), and read back strictly: a blank
 * line, an unknown task, a missing field or a {@code sha256} that does not match the row's content is an error
 * naming the line.
 */
public final class ReasoningSnapshot {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXPECTED = "expected one {\"task\",\"question\",\"reference\",\"sha256\"} object a line,"
            + " as fetch-data writes";

    private ReasoningSnapshot() {}

    public static Snapshot write(List<ReasoningSample> samples, Path target) throws IOException {
        return SnapshotWriter.writeLines(samples, ReasoningSnapshot::encode, target);
    }

    public static List<ReasoningSample> read(Path snapshot) throws IOException {
        return SnapshotLines.read(snapshot, EXPECTED, ReasoningSnapshot::parse);
    }

    static byte[] encode(ReasoningSample s) throws JacksonException {
        ObjectNode node = JSON.createObjectNode();
        node.put("task", s.task().name());
        if (s.id() != null) {
            node.put("id", s.id());
        }
        if (s.kind() != null) {
            node.put("kind", s.kind());
        }
        node.put("question", s.question());
        node.put("reference", s.reference());
        node.put("sha256", s.sha256());
        return JSON.writeValueAsBytes(node);
    }

    private static ReasoningSample parse(String where, JsonNode node) throws IOException {
        ReasoningTask task = ReasoningTask.named(node.path("task").asText(null));
        if (task == null) {
            throw new IOException(where + "\"task\" is not one of SYNTHETIC_1_SFT, CODEFORCES_COTS");
        }
        String question = node.path("question").asText(null);
        String reference = node.path("reference").asText(null);
        if (!node.path("question").isTextual() || !node.path("reference").isTextual() || question.isBlank()
                || reference.isBlank()) {
            throw new IOException(where + "\"question\" and \"reference\" must be non-blank strings");
        }
        ReasoningSample sample = new ReasoningSample(task, question, reference,
                node.path("id").isTextual() ? node.get("id").textValue() : null,
                node.path("kind").isTextual() ? node.get("kind").textValue() : null);
        if (!sample.sha256().equals(node.path("sha256").asText())) {
            throw new IOException(where + "\"sha256\" does not match the row's task, question and reference: the"
                    + " file was changed after fetch-data wrote it");
        }
        return sample;
    }
}
