package sn37.miner.eval.ifeval;

import java.util.List;

/**
 * One IFEval rule as finetuning states and checks it (finetune/eval/if_eval/*.py at HEAD). A sample has two prompts
 * that share their rules; {@code index} (0 or 1) picks the prompt, which matters only for keyword rules, whose word
 * differs per prompt. Word counts use {@code str.split()}; keyword rules use {@code get_words} (ASCII punctuation
 * removed, then split) and compare lower-cased; sentences are counted by {@link PunktSentences}.
 */
public sealed interface Rule {

    RuleId id();

    /** The rule's line in the prompt (without its number). */
    String prompt(int index);

    boolean matches(String text, int index);

    private static String plural(int count, String one, String many) {
        return count == 1 ? one : many;
    }

    private static int positive(int count, String what) {
        if (count < 1) throw new IllegalArgumentException(what + " must be at least 1, got " + count);
        return count;
    }

    record WordCountAtMost(int count) implements Rule {
        public WordCountAtMost {
            positive(count, "word count at most");
        }

        public RuleId id() {
            return RuleId.WORD_COUNT_AT_MOST;
        }

        public String prompt(int index) {
            return "The response must be no more than " + count + " " + plural(count, "word", "words") + ".";
        }

        public boolean matches(String text, int index) {
            return PyStr.split(text).size() <= count;
        }
    }

    record WordCountAtLeast(int count) implements Rule {
        public WordCountAtLeast {
            positive(count, "word count at least");
        }

        public RuleId id() {
            return RuleId.WORD_COUNT_AT_LEAST;
        }

        public String prompt(int index) {
            return "The response must be at least " + count + " " + plural(count, "word", "words") + ".";
        }

        public boolean matches(String text, int index) {
            return PyStr.split(text).size() >= count;
        }
    }

    record SentenceCountAtMost(int count) implements Rule {
        public SentenceCountAtMost {
            positive(count, "sentence count at most");
        }

        public RuleId id() {
            return RuleId.SENTENCE_COUNT_AT_MOST;
        }

        public String prompt(int index) {
            return "The response must be no more than " + count + " " + plural(count, "sentence", "sentences") + ".";
        }

        public boolean matches(String text, int index) {
            return PunktSentences.count(text) <= count;
        }
    }

    record SentenceCountAtLeast(int count) implements Rule {
        public SentenceCountAtLeast {
            positive(count, "sentence count at least");
        }

        public RuleId id() {
            return RuleId.SENTENCE_COUNT_AT_LEAST;
        }

        public String prompt(int index) {
            return "The response must be at least " + count + " " + plural(count, "sentence", "sentences") + ".";
        }

        public boolean matches(String text, int index) {
            return PunktSentences.count(text) >= count;
        }
    }

    record Uppercase() implements Rule {
        public RuleId id() {
            return RuleId.ALL_UPPER_CASE;
        }

        public String prompt(int index) {
            return "All letters in the response must be uppercase.";
        }

        public boolean matches(String text, int index) {
            return PyStr.isUpper(text);
        }
    }

    record Lowercase() implements Rule {
        public RuleId id() {
            return RuleId.ALL_LOWER_CASE;
        }

        public String prompt(int index) {
            return "All letters in the response must be lowercase.";
        }

        public boolean matches(String text, int index) {
            return PyStr.isLower(text);
        }
    }

    record NoCommas() implements Rule {
        public RuleId id() {
            return RuleId.NO_COMMAS;
        }

        public String prompt(int index) {
            return "Do not use any commas in your response.";
        }

        public boolean matches(String text, int index) {
            return text.indexOf(',') < 0;
        }
    }

    /** Rules that name a word per prompt; a later keyword rule never reuses one. */
    sealed interface Keyword extends Rule {
        List<String> keywords();
    }

    record KeywordInclusion(List<String> keywords) implements Keyword {
        public KeywordInclusion {
            keywords = List.copyOf(keywords);
        }

        public RuleId id() {
            return RuleId.KEYWORD_INCLUSION;
        }

        public String prompt(int index) {
            return "The word \"" + keywords.get(index) + "\" must be included in the response.";
        }

        public boolean matches(String text, int index) {
            String word = PyStr.lower(keywords.get(index));
            return PyStr.words(text).stream().anyMatch(w -> PyStr.lower(w).equals(word));
        }
    }

    /** {@code keywords.get(i)} must occur exactly {@code counts.get(i)} times in response i. */
    record KeywordFrequency(List<String> keywords, List<Integer> counts) implements Keyword {
        public KeywordFrequency {
            keywords = List.copyOf(keywords);
            counts = List.copyOf(counts);
            if (keywords.size() != counts.size()) {
                throw new IllegalArgumentException("keyword frequency needs one count per keyword, got "
                        + keywords.size() + " keywords and " + counts.size() + " counts");
            }
        }

        public RuleId id() {
            return RuleId.KEYWORD_FREQUENCY;
        }

        public String prompt(int index) {
            int count = counts.get(index);
            return "Include the word \"" + keywords.get(index) + "\" " + count + " " + plural(count, "time", "times")
                    + ".";
        }

        public boolean matches(String text, int index) {
            String word = PyStr.lower(keywords.get(index));
            return PyStr.words(text).stream().filter(w -> PyStr.lower(w).equals(word)).count() == counts.get(index);
        }
    }

    record KeywordForbidden(List<String> keywords) implements Keyword {
        public KeywordForbidden {
            keywords = List.copyOf(keywords);
        }

        public RuleId id() {
            return RuleId.KEYWORD_FORBIDDEN;
        }

        public String prompt(int index) {
            return "The word \"" + keywords.get(index) + "\" must not be included in the response.";
        }

        public boolean matches(String text, int index) {
            String word = PyStr.lower(keywords.get(index));
            return PyStr.words(text).stream().noneMatch(w -> PyStr.lower(w).equals(word));
        }
    }

    /** Exactly {@code count} lines whose first non-blank character is "*". */
    record BulletCount(int count) implements Rule {
        public BulletCount {
            positive(count, "bullet count");
        }

        public RuleId id() {
            return RuleId.BULLET_COUNT_FREQUENCY;
        }

        public String prompt(int index) {
            return "The response must contain exactly " + count + " '*' " + plural(count, "bullet point",
                    "bullet points") + " in markdown format.";
        }

        public boolean matches(String text, int index) {
            return PyStr.splitlines(text).stream().filter(l -> PyStr.lstrip(l).startsWith("*")).count() == count;
        }
    }

    /** The response ends with the phrase, ignoring case. */
    record EndsWith(String phrase) implements Rule {
        /** {@code ENDS_WITH_PHRASES}, finetune/eval/if_eval/start_end.py. */
        public static final List<String> PHRASES = List.of("Let me know if you have additional questions.",
                "Is there anything else I can help with?", "Hope that helps.");

        public RuleId id() {
            return RuleId.ENDS_WITH;
        }

        public String prompt(int index) {
            return "End your response with the exact phrase \"" + phrase + "\"";
        }

        public boolean matches(String text, int index) {
            return PyStr.lower(text).endsWith(PyStr.lower(phrase));
        }
    }

    record Quotation() implements Rule {
        public RuleId id() {
            return RuleId.QUOTATION;
        }

        public String prompt(int index) {
            return "Wrap your entire response in double quotation marks.";
        }

        public boolean matches(String text, int index) {
            return text.startsWith("\"") && text.endsWith("\"");
        }
    }
}
