package sn37.miner.train;

import java.util.Arrays;
import java.util.List;
import sn37.miner.data.McSample;
import sn37.miner.data.ReasoningSample;
import sn37.miner.data.ReasoningTask;
import sn37.miner.model.tokenizer.ChatMessage;
import sn37.miner.model.tokenizer.ChatTokenizer;

/**
 * One training sequence: the prompt exactly as validators build it (the SN1 challenge as the user
 * turn, chat template with the generation prompt), then the answer (the reference letter) and the
 * EOS token. Only the answer tokens are scored: training on the prompt, as the reference's old
 * loop did, teaches the model the question text instead of the answer.
 *
 * @param ids prompt then answer ids
 * @param promptLength how many leading ids are prompt (never scored)
 */
public record ChatExample(long[] ids, int promptLength) {

    public ChatExample {
        if (promptLength < 1 || promptLength >= ids.length) {
            throw new IllegalArgumentException("need at least one prompt and one answer token (prompt " + promptLength
                    + " of " + ids.length + ")");
        }
        ids = ids.clone();
    }

    @Override
    public long[] ids() {
        return ids.clone();
    }

    public int length() {
        return ids.length;
    }

    long id(int position) {
        return ids[position];
    }

    /**
     * @param sequenceLength the competition's sequence_length: the prompt loses tokens from its
     *     left, as the validators' {@code truncation_side="left"} does, so the answer always fits
     */
    /**
     * A DISTILLED_REASONING_3B row as validators prompt it (the reasoning system prompt and the question through the
     * chat template with the generation prompt) followed by the reference the task's loss is taken on, then EOS;
     * only the reference and EOS are scored. The prompt loses tokens from its left to fit {@code sequenceLength};
     * null when the reference alone does not fit (validators score such a row uncut, a trainer cannot).
     */
    public static ChatExample of(ReasoningSample sample, ChatTokenizer tokenizer, int sequenceLength) {
        long[] reference = tokenizer.encode(sample.reference());
        if (reference.length + 2 > sequenceLength) return null;
        long[] completion = Arrays.copyOf(reference, reference.length + 1);
        completion[reference.length] = tokenizer.eosTokenId();
        long[] prompt = tokenizer.applyChatTemplate(List.of(new ChatMessage("system", ReasoningTask.SYSTEM_PROMPT),
                ChatMessage.user(sample.question())), true, sequenceLength - completion.length);
        long[] ids = Arrays.copyOf(prompt, prompt.length + completion.length);
        System.arraycopy(completion, 0, ids, prompt.length, completion.length);
        return new ChatExample(ids, prompt.length);
    }

    public static ChatExample of(McSample sample, ChatTokenizer tokenizer, int sequenceLength) {
        long[] answer = tokenizer.encode(sample.reference());
        long[] completion = Arrays.copyOf(answer, answer.length + 1);
        completion[answer.length] = tokenizer.eosTokenId();
        long[] prompt = tokenizer.applyChatTemplate(List.of(ChatMessage.user(sample.challenge())), true,
                sequenceLength - completion.length);
        long[] ids = Arrays.copyOf(prompt, prompt.length + completion.length);
        System.arraycopy(completion, 0, ids, prompt.length, completion.length);
        return new ChatExample(ids, prompt.length);
    }
}
