package sn37.miner.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The reply parsing of compute_multiple_choice_deviation: the first word that is exactly A, B, C or D. */
class McAnswerTest {

    private static Optional<String> answer(String reply) {
        return McAnswer.parse(reply);
    }

    @Test
    void aBareLetterIsTheAnswer() {
        assertEquals(Optional.of("B"), answer("B"));
    }

    @Test
    void theFirstLetterWordInASentenceIsTheAnswer() {
        assertEquals(Optional.of("C"), answer("The answer is C."));
    }

    @Test
    void aSlashSeparatesWordsSoTheFirstLetterCounts() {
        assertEquals(Optional.of("A"), answer("A/B"));
    }

    @Test
    void lowerCaseLettersDoNotCount() {
        assertEquals(Optional.empty(), answer("answer: d"));
    }

    @Test
    void anEmptyReplyHasNoAnswer() {
        assertEquals(Optional.empty(), answer(""));
    }

    @Test
    void aReplyOfSpecialTokensOnlyDecodesToNothing() {
        WordEncoder encoder = new WordEncoder(100);
        String decoded = encoder.decode(new int[] {WordEncoder.EOS, WordEncoder.IM_END, WordEncoder.EOS}, true);
        assertEquals("", decoded);
        assertEquals(Optional.empty(), answer(decoded));
    }

    @Test
    void lettersInsideLongerWordsDoNotCount() {
        assertEquals(Optional.of("D"), answer("Answer A1 or B_ or CC, so D"));
    }

    @Test
    void aCombiningMarkIsNotAWordCharacterAsInPython() {
        // Python's \w excludes combining marks: "A\u0301" (A + acute) is the word "A" and a space.
        assertEquals(Optional.of("A"), answer("A\u0301 is it"));
    }

    @Test
    void digitsOfOtherScriptsAndSuperscriptsJoinTheWord() {
        assertEquals(Optional.empty(), answer("B\u00B2 C\u0661"));
        assertEquals(Optional.of("D"), answer("\u00BDB D"));
    }
}
