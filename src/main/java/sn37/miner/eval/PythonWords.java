package sn37.miner.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's {@code re.sub(r"\W", " ", text).split()} for a str pattern: the maximal runs of word characters.
 *
 * <p>For str patterns {@code \w} is {@code ch.isalnum() or ch == "_"} (CPython {@code SRE_UNI_IS_WORD}):
 * letters (Lu, Ll, Lt, Lm, Lo), anything with a numeric value (Nd, Nl, No: so "²", "½" and digits of every
 * script count), and the underscore. Unlike Java's {@code UNICODE_CHARACTER_CLASS}, combining marks (Mn, Mc,
 * Me), other connector punctuation and joiners are not word characters, so a decomposed "é" splits a word.
 * After the substitution every non-word character is a space, and no word character is whitespace, so
 * {@code split()} yields exactly the runs. Java 17 knows Unicode 13; code points that later Unicode versions
 * assigned are not word characters here.
 */
public final class PythonWords {

    private PythonWords() {}

    public static boolean isWordChar(int codePoint) {
        if (codePoint == '_') return true;
        return switch (Character.getType(codePoint)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.DECIMAL_DIGIT_NUMBER,
                    Character.LETTER_NUMBER, Character.OTHER_NUMBER -> true;
            default -> false;
        };
    }

    /** The words of {@code text}, in order. */
    public static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (isWordChar(cp)) {
                if (start < 0) start = i;
            } else if (start >= 0) {
                words.add(text.substring(start, i));
                start = -1;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) words.add(text.substring(start));
        return words;
    }
}
