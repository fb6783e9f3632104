package sn37.miner.eval.ifeval;

/** finetuning's {@code RuleId} (finetune/eval/if_eval/rule.py), in id order. */
public enum RuleId {
    WORD_COUNT_AT_MOST,
    WORD_COUNT_AT_LEAST,
    SENTENCE_COUNT_AT_MOST,
    SENTENCE_COUNT_AT_LEAST,
    ALL_UPPER_CASE,
    ALL_LOWER_CASE,
    NO_COMMAS,
    KEYWORD_INCLUSION,
    KEYWORD_FREQUENCY,
    KEYWORD_FORBIDDEN,
    BULLET_COUNT_FREQUENCY,
    /** Declared upstream, never sampled. */
    STARTS_WITH,
    ENDS_WITH,
    QUOTATION;

    /** The integer value validators use (1-based). */
    public int value() {
        return ordinal() + 1;
    }
}
