package sn37.miner.hub;

/** A Hub access token. {@code toString} masks it, so it cannot leak through a log line or an error message. */
public final class HubToken {
    private final char[] value;

    private HubToken(char[] value) {
        if (value.length == 0) {
            throw new IllegalArgumentException("empty Hub token");
        }
        this.value = value.clone();
    }

    public static HubToken of(char[] value) {
        return new HubToken(value);
    }

    public static HubToken of(String value) {
        return new HubToken(value.toCharArray());
    }

    String bearer() {
        return "Bearer " + new String(value);
    }

    /** Replaces the token wherever a server echoes it back, before the text reaches a message. */
    String scrub(String text) {
        if (text == null) {
            return null;
        }
        return text.replace(new String(value), "****");
    }

    @Override
    public String toString() {
        return "HubToken[****]";
    }
}
