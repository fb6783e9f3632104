package sn37.miner.eval;

import java.util.Optional;
import sn37.miner.data.McSample;

/**
 * Reads a multiple-choice answer as validators do ({@code compute_multiple_choice_deviation},
 * finetune/validation.py @8e2b0cbb): of the words of the decoded reply ({@link PythonWords}), the first one that is
 * exactly "A", "B", "C" or "D" is the answer. Lower case does not count; "A/B" answers A.
 */
public final class McAnswer {

    private McAnswer() {}

    public static Optional<String> parse(String reply) {
        for (String word : PythonWords.words(reply)) {
            if (McSample.isLetter(word)) return Optional.of(word);
        }
        return Optional.empty();
    }
}
