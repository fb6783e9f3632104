package sn37.miner.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One DISTILLED_REASONING_3B row as validators score it and as the trainer learns from it: the user turn
 * ({@code question}, shown after {@link ReasoningTask#SYSTEM_PROMPT}) and the reference the loss is taken on.
 * {@code id} (problem id) and {@code kind} (SYNTHETIC-1 {@code task_type}, Codeforces {@code contest_type}) are
 * provenance and may be null. {@link #sha256()} hashes the content only (task, question, reference), so two copies
 * of a row hash alike wherever they came from: the training and evaluation splits are disjoint by it.
 */
public record ReasoningSample(ReasoningTask task, String question, String reference, String id, String kind) {

    public ReasoningSample {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(reference, "reference");
        if (question.isBlank() || reference.isBlank()) {
            throw new IllegalArgumentException("a reasoning sample needs a question and a reference");
        }
    }

    /** Lower-case hex SHA-256 of {@code task NUL question NUL reference} in UTF-8. */
    public String sha256() {
        MessageDigest digest = Utf8Lines.sha256();
        digest.update(task.name().getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(question.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(reference.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest.digest());
    }
}
