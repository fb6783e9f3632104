package sn37.miner.model.tokenizer;

import java.util.List;
import sn37.miner.model.PromptEncoder;

/** The evaluator's {@link PromptEncoder} on a {@link ChatTokenizer}; closing it closes the tokenizer. */
public final class ChatPromptEncoder implements PromptEncoder, AutoCloseable {

    private final ChatTokenizer tokenizer;

    public ChatPromptEncoder(ChatTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    @Override
    public int[] encodeChat(String userContent) {
        return toInts(tokenizer.applyChatTemplate(List.of(ChatMessage.user(userContent)), true, 0));
    }

    @Override
    public int[] encodeChat(String systemPrompt, String userContent) {
        return toInts(tokenizer.applyChatTemplate(List.of(new ChatMessage("system", systemPrompt),
                ChatMessage.user(userContent)), true, 0));
    }

    @Override
    public int[] encode(String text) {
        return toInts(tokenizer.encodeWithSpecialTokens(text));
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        long[] longs = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            longs[i] = ids[i];
        }
        return tokenizer.decode(longs, skipSpecialTokens);
    }

    @Override
    public int eosTokenId() {
        return Math.toIntExact(tokenizer.eosTokenId());
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    private static int[] toInts(long[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }
}
