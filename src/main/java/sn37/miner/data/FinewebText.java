package sn37.miner.data;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One fineweb-edu row as the FINEWEB task scores it: its {@code text}, and where it came from ({@code id}, the
 * row's own id, and {@code page}, the viewer page it was read from; both may be null). {@link #sha256()} hashes the
 * text only.
 */
public record FinewebText(String text, String id, String page) {

    public FinewebText {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            throw new IllegalArgumentException("a fineweb text must not be blank");
        }
    }

    /** Lower-case hex SHA-256 of the text in UTF-8. */
    public String sha256() {
        return HexFormat.of().formatHex(Utf8Lines.sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
