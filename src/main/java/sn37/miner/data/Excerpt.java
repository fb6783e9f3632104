package sn37.miner.data;

/** Short, single-line renderings of source text for error messages; never more than 80 source chars. */
final class Excerpt {

    static final int MAX_CHARS = 80;

    private Excerpt() {
    }

    static String clip(String s) {
        if (s == null) {
            return "null";
        }
        String head = s;
        boolean cut = false;
        if (s.length() > MAX_CHARS) {
            int end = Character.isHighSurrogate(s.charAt(MAX_CHARS - 1)) ? MAX_CHARS - 1 : MAX_CHARS;
            head = s.substring(0, end);
            cut = true;
        }
        return escapeControls(head) + (cut ? "..." : "");
    }

    static String quoted(String s) {
        return s == null ? "null" : "'" + clip(s) + "'";
    }

    private static String escapeControls(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
