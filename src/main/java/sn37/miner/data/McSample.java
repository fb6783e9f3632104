package sn37.miner.data;

import java.util.List;
import java.util.Objects;

/**
 * One SN1 multiple-choice sample: the exact challenge text shown to the model and the letter of
 * the correct option. {@code id}, {@code hotkey} and {@code timestamp} are provenance and may be null.
 */
public record McSample(String challenge, String reference, String id, String hotkey, String timestamp) {

    public static final List<String> LETTERS = List.of("A", "B", "C", "D");

    public McSample {
        Objects.requireNonNull(challenge, "challenge");
        if (challenge.isBlank()) {
            throw new IllegalArgumentException("challenge must not be blank");
        }
        if (!isLetter(reference)) {
            throw new IllegalArgumentException("reference must be one of A-D, got "
                    + (reference == null ? "null" : "a string of length " + reference.length()));
        }
    }

    public McSample(String challenge, String reference) {
        this(challenge, reference, null, null, null);
    }

    /** True for exactly "A", "B", "C" or "D" (upper-case, no whitespace). */
    public static boolean isLetter(String s) {
        return s != null && LETTERS.contains(s);
    }
}
