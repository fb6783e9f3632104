package sn37.miner.eval;

/**
 * Greedy decoding settings with transformers' meaning.
 *
 * <p>There is no {@code max_length}: validators pass {@code max_length=sequence_length} together with
 * {@code max_new_tokens=20}, and transformers 4.44 then sets {@code max_length = max_new_tokens + prompt length}
 * ({@code _prepare_generated_length}, "max_new_tokens will take precedence"), so only the new-token count
 * limits generation; the prompt itself is left-truncated to the sequence length beforehand.
 *
 * @param maxNewTokens tokens generated at most per row
 * @param minNewTokens EOS is suppressed (score −∞) until this many tokens were generated
 *     ({@code MinNewTokensLengthLogitsProcessor})
 * @param repetitionPenalty 1 for none; otherwise {@code RepetitionPenaltyLogitsProcessor}
 * @param eosTokenId a row stops after generating it
 * @param padTokenId fed to finished rows; validators set pad = eos
 */
public record GenerationSettings(
        int maxNewTokens, int minNewTokens, float repetitionPenalty, int eosTokenId, int padTokenId) {

    public GenerationSettings {
        if (maxNewTokens < 1) throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + maxNewTokens);
        if (minNewTokens < 0 || minNewTokens > maxNewTokens) {
            throw new IllegalArgumentException("minNewTokens must be in [0, maxNewTokens], got " + minNewTokens);
        }
        if (!(repetitionPenalty > 0) || Float.isInfinite(repetitionPenalty)) {
            throw new IllegalArgumentException("repetitionPenalty must be a positive number, got " + repetitionPenalty);
        }
    }

    /**
     * The MULTIPLE_CHOICE task: {@code GenerationConfig(max_new_tokens=20, do_sample=False,
     * repetition_penalty=1.1, eos_token_id=pad_token_id=tokenizer.eos_token_id)} (finetuning
     * {@code finetune/validation.py} @8e2b0cbb and {@code score_model} @726fb931).
     */
    public static GenerationSettings multipleChoice(int eosTokenId) {
        return new GenerationSettings(20, 0, 1.1f, eosTokenId, eosTokenId);
    }

    /**
     * The TEXT_LOSS sanity check: {@code model.generate(ids, min_new_tokens=20, max_new_tokens=20,
     * pad_token_id=eos)} with the model's default (greedy, no penalty) generation config
     * ({@code check_for_reasonable_output}, finetune/eval/method.py @726fb931).
     */
    public static GenerationSettings sanityCheck(int eosTokenId) {
        return new GenerationSettings(20, 20, 1.0f, eosTokenId, eosTokenId);
    }

    /**
     * The IF_EVAL task: {@code GenerationConfig(max_new_tokens=200, repetition_penalty=1.2, do_sample=False,
     * eos_token_id=pad_token_id=tokenizer.eos_token_id, max_time=5.0)} (finetuning {@code finetune/validation.py}
     * at HEAD). {@code max_time} is left out: it cuts generation after 5 s of wall time on the validator's hardware,
     * which no other machine reproduces, so here every response runs to EOS or 200 tokens.
     */
    public static GenerationSettings ifEval(int eosTokenId) {
        return new GenerationSettings(200, 0, 1.2f, eosTokenId, eosTokenId);
    }
}
