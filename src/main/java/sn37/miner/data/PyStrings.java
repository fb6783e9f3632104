package sn37.miner.data;

/** Python {@code str} behaviour that Java's differs from. */
final class PyStrings {
    private PyStrings() {}

    /**
     * {@code str.strip()}: removes what {@code str.isspace} calls whitespace, which also counts the no-break spaces
     * and NEL that {@link String#strip()} keeps.
     */
    static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }
}
