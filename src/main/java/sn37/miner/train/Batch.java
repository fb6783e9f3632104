package sn37.miner.train;

import java.util.Arrays;
import java.util.List;

/**
 * Examples padded on the right to the longest one, with the positions the loss scores. Right
 * padding keeps every real token at its unpadded position, and the causal mask already keeps real
 * tokens from seeing the padding after them, so no padding mask is needed.
 *
 * @param ids [batch * time] token ids, padded with {@code padId}
 * @param rows flattened positions {@code b * time + t} whose next token is scored
 * @param targets the token id each row predicts
 * @param tokens real (unpadded) tokens in the batch
 */
public record Batch(int batch, int time, long[] ids, long[] rows, long[] targets, long tokens) {

    public static Batch of(List<ChatExample> examples, long padId) {
        int time = examples.stream().mapToInt(ChatExample::length).max().orElseThrow();
        long[] ids = new long[examples.size() * time];
        Arrays.fill(ids, padId);
        int scored = examples.stream().mapToInt(e -> e.length() - e.promptLength()).sum();
        long[] rows = new long[scored];
        long[] targets = new long[scored];
        long tokens = 0;
        int next = 0;
        for (int b = 0; b < examples.size(); b++) {
            ChatExample example = examples.get(b);
            System.arraycopy(example.ids(), 0, ids, b * time, example.length());
            tokens += example.length();
            // Position t predicts t + 1: the last prompt position predicts the first answer token.
            for (int t = example.promptLength() - 1; t < example.length() - 1; t++) {
                rows[next] = (long) b * time + t;
                targets[next] = example.id(t + 1);
                next++;
            }
        }
        return new Batch(examples.size(), time, ids, rows, targets, tokens);
    }

    /** Every position of every sequence scored, as {@code model(ids, labels=ids)} does (the benchmark's loss). */
    public static Batch fullSequence(int batch, int time, long[] ids) {
        int perRow = time - 1;
        long[] rows = new long[batch * perRow];
        long[] targets = new long[batch * perRow];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < perRow; t++) {
                rows[b * perRow + t] = (long) b * time + t;
                targets[b * perRow + t] = ids[b * time + t + 1];
            }
        }
        return new Batch(batch, time, ids.clone(), rows, targets, (long) batch * time);
    }
}
