package sn37.miner.data;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The per-row rules every source applies: a JSON object, {@code task} absent or
 * {@code multi_choice}, a non-blank string {@code challenge}, and {@code reference} exactly one of
 * A-D. Other fields are ignored; {@code id}, {@code hotkey} and {@code timestamp} are kept when
 * they are scalars. A verdict describes a value by its kind and length, never by its text: the file may hold
 * secrets rather than samples.
 */
final class RowCheck {

    static final String MULTI_CHOICE_TASK = "multi_choice";

    /** Either {@code sample} is set, or {@code reason} and {@code detail} are. */
    record Verdict(McSample sample, DropReason reason, String detail) {
        static Verdict keep(McSample sample) {
            return new Verdict(sample, null, null);
        }

        static Verdict drop(DropReason reason, String detail) {
            return new Verdict(null, reason, detail);
        }

        boolean kept() {
            return sample != null;
        }
    }

    private RowCheck() {
    }

    static Verdict check(JsonNode row) {
        if (row == null || !row.isObject()) {
            return Verdict.drop(DropReason.NOT_AN_OBJECT,
                    "expected a JSON object, got " + kind(row));
        }
        JsonNode task = row.get("task");
        if (task != null && !task.isNull() && !MULTI_CHOICE_TASK.equals(task.textValue())) {
            return Verdict.drop(DropReason.NOT_MULTI_CHOICE,
                    "task is " + render(task) + ", not \"" + MULTI_CHOICE_TASK + "\"");
        }
        JsonNode challenge = row.get("challenge");
        if (challenge == null || challenge.isNull()) {
            return Verdict.drop(DropReason.MISSING_CHALLENGE, "no \"challenge\" field");
        }
        if (!challenge.isTextual()) {
            return Verdict.drop(DropReason.CHALLENGE_NOT_STRING,
                    "challenge is " + kind(challenge) + ", expected a string");
        }
        if (challenge.textValue().isBlank()) {
            return Verdict.drop(DropReason.BLANK_CHALLENGE, "challenge is blank");
        }
        JsonNode reference = row.get("reference");
        String letter = reference != null && reference.isTextual() ? reference.textValue() : null;
        if (!McSample.isLetter(letter)) {
            return Verdict.drop(DropReason.BAD_REFERENCE, referenceProblem(reference));
        }
        return Verdict.keep(new McSample(challenge.textValue(), letter,
                scalar(row, "id"), scalar(row, "hotkey"), scalar(row, "timestamp")));
    }

    private static String referenceProblem(JsonNode reference) {
        if (reference == null || reference.isNull()) {
            return "no \"reference\" field, expected one of A-D";
        }
        String text = "reference is " + render(reference) + ", not one of A-D";
        if (reference.isTextual() && McSample.isLetter(reference.textValue().strip().toUpperCase())) {
            text += " (expected exactly one upper-case letter, no spaces)";
        }
        return text;
    }

    private static String scalar(JsonNode row, String field) {
        JsonNode v = row.get(field);
        return v != null && v.isValueNode() && !v.isNull() ? v.asText() : null;
    }

    /** "a string of 7 characters", "a number": what the value is, not what it says. */
    private static String render(JsonNode v) {
        if (v.isTextual()) {
            int n = v.textValue().codePointCount(0, v.textValue().length());
            return "a string of " + n + (n == 1 ? " character" : " characters");
        }
        return kind(v);
    }

    private static String kind(JsonNode v) {
        if (v == null || v.isMissingNode() || v.isNull()) {
            return "null";
        }
        if (v.isArray()) {
            return "an array";
        }
        if (v.isObject()) {
            return "an object";
        }
        if (v.isNumber()) {
            return "a number";
        }
        if (v.isBoolean()) {
            return "a boolean";
        }
        return "a string";
    }
}
