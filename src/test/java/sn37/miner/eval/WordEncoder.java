package sn37.miner.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import sn37.miner.model.PromptEncoder;

/**
 * A trivial {@link PromptEncoder} for tests and benchmarks: pieces are runs of letters or digits with the space
 * before them (as GPT-style BPE attaches it), runs of spaces,
 * or single other characters; ids 0–2 are the special tokens {@code <|endoftext|>} (EOS), {@code <|im_start|>},
 * {@code <|im_end|>}; "A"–"D" are 3–6; every other piece hashes into the rest of the vocabulary. The chat template
 * is ChatML-like. Ids never seen decode as " w&lt;id&gt;".
 */
public final class WordEncoder implements PromptEncoder {

    static final int EOS = 0;
    static final int IM_START = 1;
    static final int IM_END = 2;
    private static final List<String> FIXED = List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>", "A", "B", "C", "D");
    private static final Pattern PIECE = Pattern.compile(" ?[\\p{L}\\p{N}]+| +|[^\\p{L}\\p{N} ]");

    private final int vocab;
    private final Map<Integer, String> seen = new ConcurrentHashMap<>();

    public WordEncoder(int vocab) {
        if (vocab <= FIXED.size()) throw new IllegalArgumentException("vocab must exceed " + FIXED.size());
        this.vocab = vocab;
        for (int i = 0; i < FIXED.size(); i++) seen.put(i, FIXED.get(i));
    }

    @Override
    public int[] encodeChat(String userContent) {
        List<Integer> ids = new ArrayList<>();
        ids.add(IM_START);
        pieces("user\n" + userContent, ids);
        ids.add(IM_END);
        pieces("\n", ids);
        ids.add(IM_START);
        pieces("assistant\n", ids);
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public int[] encodeChat(String systemPrompt, String userContent) {
        List<Integer> ids = new ArrayList<>();
        ids.add(IM_START);
        pieces("system\n" + systemPrompt, ids);
        ids.add(IM_END);
        pieces("\n", ids);
        for (int id : encodeChat(userContent)) ids.add(id);
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public int[] encode(String text) {
        List<Integer> ids = new ArrayList<>();
        pieces(text, ids);
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        StringBuilder out = new StringBuilder();
        for (int id : ids) {
            if (skipSpecialTokens && id <= IM_END) continue;
            out.append(seen.getOrDefault(id, " w" + id));
        }
        return out.toString();
    }

    @Override
    public int eosTokenId() {
        return EOS;
    }

    private void pieces(String text, List<Integer> ids) {
        Matcher m = PIECE.matcher(text);
        while (m.find()) {
            String piece = m.group();
            int fixed = FIXED.indexOf(piece);
            int id = fixed >= FIXED.size() - 4 ? fixed
                    : FIXED.size() + Math.floorMod(piece.hashCode(), vocab - FIXED.size());
            seen.putIfAbsent(id, piece);
            ids.add(id);
        }
    }
}
