package sn37.miner.eval.ifeval;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import sn37.miner.data.McSample;

/**
 * The question text and the correct option's text of an SN1 multiple-choice challenge, as finetuning's
 * {@code extract_q_and_a_text} finds them (finetune/datasets/generated/mmlu_parser.py): the first match of
 * {@code (.*)\s+A\. (.*)\s+B\. (.*)\s+C\. (.*)\s+D\. (.*)} with Python's meaning ("." stops only at "\n", "\s" is
 * Unicode whitespace), the question being group 1, which is only the line (or the tail of it) before "A.".
 */
public record QuestionAnswer(String question, String answer) {

    private static final String S = "[" + PyStr.SPACE_CLASS + "]+";
    private static final Pattern CHALLENGE = Pattern.compile(
            "(.*)" + S + "A\\. (.*)" + S + "B\\. (.*)" + S + "C\\. (.*)" + S + "D\\. (.*)", Pattern.UNIX_LINES);

    /** Empty when the challenge does not have the four options in order. */
    public static Optional<QuestionAnswer> extract(McSample sample) {
        Matcher m = CHALLENGE.matcher(sample.challenge());
        if (!m.find()) return Optional.empty();
        int group = 2 + McSample.LETTERS.indexOf(sample.reference());
        return Optional.of(new QuestionAnswer(m.group(1), m.group(group)));
    }
}
