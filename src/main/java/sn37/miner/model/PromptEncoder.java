package sn37.miner.model;

/**
 * The tokenizer side of evaluation: the competition's tokenizer and chat template (the DJL HF tokenizer with the
 * Jinjava template implements it).
 */
public interface PromptEncoder {

    /**
     * {@code tokenizer.apply_chat_template([{"role": "user", "content": userContent}], add_generation_prompt=True)}
     * as token ids, not truncated (the evaluator truncates from the left to the competition's sequence length).
     */
    int[] encodeChat(String userContent);

    /**
     * {@code apply_chat_template([{"role": "system", "content": systemPrompt}, {"role": "user", "content":
     * userContent}], add_generation_prompt=True)} as token ids, not truncated (the reasoning tasks' prompt).
     */
    int[] encodeChat(String systemPrompt, String userContent);

    /** {@code tokenizer.encode(text)}, with whatever special tokens the tokenizer adds by default. */
    int[] encode(String text);

    /** {@code tokenizer.decode(ids, skip_special_tokens=...)}. */
    String decode(int[] ids, boolean skipSpecialTokens);

    /** {@code tokenizer.eos_token_id}: validators stop at it and pad with it. */
    int eosTokenId();
}
