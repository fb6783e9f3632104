package sn37.miner.util;

/** A token or key. Its {@code toString} never shows the value, so it cannot leak through a log line. */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The value, for the one place that puts it on the wire. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "****";
    }
}
