package sn37.miner.util;

/**
 * A value someone gave, as an error message shows it: quoted, control characters escaped, and cut short when
 * long, so that a 1 MB value does not come back whole in the answer or the log.
 */
public final class Echo {
    static final int MAX = 80;

    private Echo() {}

    public static String quoted(String value) {
        if (value == null) return "null";
        String head = value.length() <= MAX ? value : value.substring(0, MAX);
        StringBuilder b = new StringBuilder(head.length() + 32).append('\'');
        head.chars().forEach(c -> {
            if (Character.isISOControl(c)) b.append(String.format("\\u%04x", c));
            else b.append((char) c);
        });
        b.append('\'');
        if (head.length() < value.length()) b.append("... (").append(value.length()).append(" characters)");
        return b.toString();
    }
}
