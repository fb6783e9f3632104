package sn37.miner.eval;

import java.util.Arrays;
import sn37.miner.model.PromptEncoder;

/** Prompt ids as validators build them. */
public final class Prompts {

    private Prompts() {}

    /**
     * The chat-templated user turn, left-truncated to {@code maxLength} tokens: {@code apply_chat_template(...,
     * add_generation_prompt=True, truncation=True, max_length=sequence_length)} with
     * {@code tokenizer.truncation_side = "left"}, which keeps the last {@code maxLength} tokens.
     */
    public static int[] chat(PromptEncoder encoder, String userContent, int maxLength) {
        return keepLast(encoder.encodeChat(userContent), maxLength);
    }

    static int[] keepLast(int[] ids, int maxLength) {
        if (maxLength < 1) throw new IllegalArgumentException("maxLength must be >= 1, got " + maxLength);
        return ids.length <= maxLength ? ids : Arrays.copyOfRange(ids, ids.length - maxLength, ids.length);
    }
}
