package sn37.miner.eval.ifeval;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import sn37.miner.data.McSample;
import sn37.miner.eval.PythonRandom;

/**
 * The IF_EVAL_V2 task's samples, built as finetuning's {@code IFEvalLoader(if_eval_version=V2)} builds them
 * (finetune/datasets/generated/if_eval_loader.py and finetune/eval/if_eval/rule_factory.py at HEAD): from up to
 * {@code 2 * pairs} SN1 rows, the question and answer texts ({@link QuestionAnswer}), dropping answers of fewer
 * than two words; consecutive rows form up to {@code pairs} pairs (1 with 2, 2 with 3, ...); each pair gets 2 to 5
 * rules and two prompts, one per question, that state the same rules.
 *
 * <p>Per pair, with Python's random: the 13 V1 and V2 rule ids in id order are shuffled, {@code randint(2, 5)} rules
 * are wanted, and the shuffled ids are taken in turn, skipping one that conflicts with a rule already taken
 * ({@link #conflicts}); each rule draws its parameters as it is made.
 *
 * <p>Seeding differs from validators': they seed Python's random with the sync block's hash, then draw the SN1
 * rows from the dataset with it, so the rule draws continue that stream; this miner seeds a fresh generator with
 * the run's seed and draws only the rules, from the run's held-out rows in their order. The same seed and rows give
 * the same samples here every time, not the validators' samples.
 */
public final class IfEvalSamples {

    /** One sample: two prompts (for response 0 and 1) and the rules both responses are checked against. */
    public record Sample(String prompt1, String prompt2, List<Rule> rules) {
        public Sample {
            rules = List.copyOf(rules);
        }
    }

    /** {@code IFEvalLoader}'s default {@code max_samples}: pairs per evaluation (from twice as many rows). */
    public static final int PAIRS = 20;
    /** {@code VERSION_TO_RULE_COUNTS[V2]}. */
    static final int MIN_RULES = 2;
    static final int MAX_RULES = 5;

    private static final String PROMPT = "Please answer the question below, denoted between quotes. Your response"
            + " must follow these rules:\n";

    private IfEvalSamples() {}

    public static List<Sample> build(List<McSample> rows, BigInteger seed, int pairs) {
        if (pairs < 1) throw new IllegalArgumentException("IFEval pairs must be >= 1, got " + pairs);
        List<QuestionAnswer> qas = new ArrayList<>();
        for (McSample row : rows.subList(0, Math.min(rows.size(), 2 * pairs))) {
            QuestionAnswer.extract(row).filter(qa -> PyStr.split(qa.answer()).size() >= 2).ifPresent(qas::add);
        }
        PythonRandom random = new PythonRandom(seed);
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < Math.min(pairs, qas.size() - 1); i++) {
            samples.add(sample(qas.get(i), qas.get(i + 1), random));
        }
        return samples;
    }

    static Sample sample(QuestionAnswer qa1, QuestionAnswer qa2, PythonRandom random) {
        List<RuleId> ids = new ArrayList<>(EnumSet.complementOf(EnumSet.of(RuleId.STARTS_WITH)));
        random.shuffle(ids);
        int wanted = random.randint(MIN_RULES, MAX_RULES);
        List<Rule> rules = new ArrayList<>();
        for (RuleId id : ids) {
            if (rules.size() == wanted) break;
            if (conflicts(id, rules)) continue;
            rules.add(make(id, rules, qa1, qa2, random));
        }
        return new Sample(prompt(qa1.question(), rules, 0), prompt(qa2.question(), rules, 1), rules);
    }

    /** {@code PROMPT_FORMAT} with the numbered rules for response {@code index}. */
    static String prompt(String question, List<Rule> rules, int index) {
        StringBuilder s = new StringBuilder(PROMPT);
        for (int i = 0; i < rules.size(); i++) {
            if (i > 0) s.append('\n');
            s.append(i + 1).append(". ").append(rules.get(i).prompt(index));
        }
        return s.append("\n\n\"").append(question).append("\"\n").toString();
    }

    private static Rule make(RuleId id, List<Rule> current, QuestionAnswer qa1, QuestionAnswer qa2,
            PythonRandom random) {
        List<String> forbidden = current.stream().filter(r -> r instanceof Rule.Keyword)
                .flatMap(r -> ((Rule.Keyword) r).keywords().stream()).toList();
        return switch (id) {
            case WORD_COUNT_AT_MOST -> new Rule.WordCountAtMost(random.choice(List.of(25, 30, 35, 40, 45)));
            case WORD_COUNT_AT_LEAST -> new Rule.WordCountAtLeast(random.choice(List.of(25, 30, 35, 40, 45)));
            case SENTENCE_COUNT_AT_MOST -> new Rule.SentenceCountAtMost(random.choice(List.of(1, 2, 3)));
            case SENTENCE_COUNT_AT_LEAST -> new Rule.SentenceCountAtLeast(random.choice(List.of(2, 3)));
            case ALL_UPPER_CASE -> new Rule.Uppercase();
            case ALL_LOWER_CASE -> new Rule.Lowercase();
            case NO_COMMAS -> new Rule.NoCommas();
            case KEYWORD_INCLUSION -> new Rule.KeywordInclusion(List.of(
                    Keywords.interesting(qa1.answer(), forbidden, random),
                    Keywords.interesting(qa2.answer(), forbidden, random)));
            case KEYWORD_FREQUENCY -> {
                String word1 = Keywords.interesting(qa1.answer(), forbidden, random);
                int count1 = random.randint(1, 4);
                String word2 = Keywords.interesting(qa2.answer(), forbidden, random);
                int count2 = random.randint(1, 4);
                yield new Rule.KeywordFrequency(List.of(word1, word2), List.of(count1, count2));
            }
            case KEYWORD_FORBIDDEN -> new Rule.KeywordForbidden(List.of(
                    Keywords.interesting(qa1.answer(), forbidden, random),
                    Keywords.interesting(qa2.answer(), forbidden, random)));
            case BULLET_COUNT_FREQUENCY -> new Rule.BulletCount(random.choice(List.of(1, 2, 3)));
            case ENDS_WITH -> new Rule.EndsWith(random.choice(Rule.EndsWith.PHRASES));
            case QUOTATION -> new Rule.Quotation();
            case STARTS_WITH -> throw new IllegalArgumentException("STARTS_WITH is not sampled");
        };
    }

    /** {@code is_rule_incompatible}: the ids a rule cannot join. */
    static boolean conflicts(RuleId id, List<Rule> current) {
        Set<RuleId> against = switch (id) {
            case WORD_COUNT_AT_MOST -> EnumSet.of(RuleId.WORD_COUNT_AT_LEAST, RuleId.SENTENCE_COUNT_AT_MOST,
                    RuleId.SENTENCE_COUNT_AT_LEAST, RuleId.BULLET_COUNT_FREQUENCY, RuleId.ENDS_WITH);
            case WORD_COUNT_AT_LEAST, SENTENCE_COUNT_AT_LEAST, BULLET_COUNT_FREQUENCY ->
                    EnumSet.of(RuleId.WORD_COUNT_AT_MOST, RuleId.SENTENCE_COUNT_AT_MOST);
            case SENTENCE_COUNT_AT_MOST -> EnumSet.of(RuleId.WORD_COUNT_AT_LEAST, RuleId.WORD_COUNT_AT_MOST,
                    RuleId.SENTENCE_COUNT_AT_LEAST, RuleId.BULLET_COUNT_FREQUENCY, RuleId.ENDS_WITH);
            case ALL_UPPER_CASE -> EnumSet.of(RuleId.ALL_LOWER_CASE);
            case ALL_LOWER_CASE -> EnumSet.of(RuleId.ALL_UPPER_CASE);
            case ENDS_WITH -> EnumSet.of(RuleId.WORD_COUNT_AT_MOST, RuleId.SENTENCE_COUNT_AT_MOST, RuleId.QUOTATION);
            case QUOTATION -> EnumSet.of(RuleId.ENDS_WITH);
            case NO_COMMAS, KEYWORD_INCLUSION, KEYWORD_FREQUENCY, KEYWORD_FORBIDDEN, STARTS_WITH ->
                    EnumSet.noneOf(RuleId.class);
        };
        return current.stream().anyMatch(r -> against.contains(r.id()));
    }
}
