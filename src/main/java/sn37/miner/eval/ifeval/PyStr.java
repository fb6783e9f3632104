package sn37.miner.eval.ifeval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The few Python {@code str} methods the IFEval rules use, with Python's meaning on code points. Case follows
 * Java's Unicode 13 tables, which give the same Uppercase/Lowercase derived properties CPython uses.
 */
final class PyStr {

    /** {@code string.punctuation}. */
    static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    /** The inside of a regex character class matching what {@code \\s} matches in a Python str pattern. */
    static final String SPACE_CLASS = "\\t\\n\\x0B\\f\\r\\x1C-\\x1F \\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029"
            + "\\u202F\\u205F\\u3000";

    private PyStr() {}

    /** {@code str.isspace()} for one code point: bidi WS, B or S, or category Zs ({@code _PyUnicode_IsWhitespace}). */
    static boolean isSpace(int cp) {
        return switch (cp) {
            case '\t', '\n', 0x0B, '\f', '\r', 0x1C, 0x1D, 0x1E, 0x1F, ' ', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F,
                    0x205F, 0x3000 -> true;
            default -> cp >= 0x2000 && cp <= 0x200A;
        };
    }

    /** {@code str.split()}: runs of non-whitespace. */
    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (isSpace(cp)) {
                if (start >= 0) out.add(s.substring(start, i));
                start = -1;
            } else if (start < 0) {
                start = i;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) out.add(s.substring(start));
        return out;
    }

    /** {@code str.strip()} is empty. */
    static boolean isBlank(String s) {
        return s.codePoints().allMatch(PyStr::isSpace);
    }

    /** {@code str.lstrip()}. */
    static String lstrip(String s) {
        int i = 0;
        while (i < s.length() && isSpace(s.codePointAt(i))) i += Character.charCount(s.codePointAt(i));
        return s.substring(i);
    }

    /** {@code str.rstrip()}. */
    static String rstrip(String s) {
        int end = s.length();
        while (end > 0 && isSpace(s.codePointBefore(end))) end -= Character.charCount(s.codePointBefore(end));
        return s.substring(0, end);
    }

    /** {@code str.isupper()}: some cased character, and none lower- or title-case. */
    static boolean isUpper(String s) {
        boolean cased = false;
        for (int cp : s.codePoints().toArray()) {
            if (Character.isLowerCase(cp) || Character.isTitleCase(cp)) return false;
            cased |= Character.isUpperCase(cp);
        }
        return cased;
    }

    /** {@code str.islower()}: some cased character, and none upper- or title-case. */
    static boolean isLower(String s) {
        boolean cased = false;
        for (int cp : s.codePoints().toArray()) {
            if (Character.isUpperCase(cp) || Character.isTitleCase(cp)) return false;
            cased |= Character.isLowerCase(cp);
        }
        return cased;
    }

    /** {@code str.lower()} (full case mapping, locale-independent). */
    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /**
     * {@code str.splitlines()}: breaks at \n, \r, \r\n, \v, \f, \x1c, \x1d, \x1e, \x85, U+2028 and U+2029; no
     * trailing empty line.
     */
    static List<String> splitlines(String s) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            boolean lineBreak = switch (c) {
                case '\n', '\r', 0x0B, '\f', 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029 -> true;
                default -> false;
            };
            if (!lineBreak) {
                i++;
                continue;
            }
            lines.add(s.substring(start, i));
            i += c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n' ? 2 : 1;
            start = i;
        }
        if (start < s.length()) lines.add(s.substring(start));
        return lines;
    }

    /** finetuning's {@code get_words}: {@code string.punctuation} removed, then {@code split()}. */
    static List<String> words(String text) {
        StringBuilder kept = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (PUNCTUATION.indexOf(c) < 0) kept.append(c);
        }
        return split(kept.toString());
    }
}
