package sn37.miner.model.tokenizer;

import java.util.Map;
import java.util.Objects;

/** One chat turn as transformers' {@code apply_chat_template} takes it: {@code {"role": ..., "content": ...}}. */
public record ChatMessage(String role, String content) {

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content);
    }

    /** The dict a Jinja template indexes ({@code message['role']}, {@code message.content}). */
    Map<String, Object> asMap() {
        return Map.of("role", role, "content", content);
    }
}
