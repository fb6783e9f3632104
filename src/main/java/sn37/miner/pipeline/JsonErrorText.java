package sn37.miner.pipeline;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.Map;
import java.util.stream.Collectors;
import sn37.miner.util.Echo;

/**
 * A Jackson error as a person reads it: the field, the value that came and the type that was expected, or where
 * the JSON breaks. Jackson's own texts name Java classes and parser features; those are rewritten or dropped.
 */
final class JsonErrorText {
    private static final Map<String, String> EXPECTED = Map.of(
            "Integer", "an integer from -2147483648 to 2147483647",
            "Long", "an integer from -9223372036854775808 to 9223372036854775807",
            "Double", "a number",
            "String", "a string",
            "Boolean", "true or false");

    private JsonErrorText() {}

    static String of(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown field " + Echo.quoted(u.getPropertyName()) + "; known fields: "
                    + u.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
        }
        String field = e instanceof JsonMappingException m ? path(m) : "";
        if (field.isEmpty()) {
            return clean(e.getOriginalMessage()) + location(e);
        }
        String prefix = "field '" + field + "'";
        if (e instanceof MismatchedInputException mi && mi.getTargetType() != null) {
            String expected = EXPECTED.getOrDefault(mi.getTargetType().getSimpleName(), mi.getTargetType().getSimpleName());
            String got = e instanceof InvalidFormatException f ? value(f.getValue()) : kind(e.getOriginalMessage());
            return prefix + " has the wrong type: got " + got + ", expected " + expected;
        }
        return prefix + ": " + clean(e.getOriginalMessage()) + location(e);
    }

    private static String path(JsonMappingException m) {
        return m.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String value(Object v) {
        if (v instanceof String s) return "the string " + Echo.quoted(s);
        if (v instanceof Number n) return "the number " + n;
        return String.valueOf(v);
    }

    /** The JSON kind of the value, from Jackson's "from Array value" wording. */
    private static String kind(String message) {
        for (String k : new String[] {"Array", "Object", "String", "Integer", "Floating-point", "Boolean"}) {
            if (message.contains("from " + k + " value") || message.contains(k + " value (")) {
                return switch (k) {
                    case "Array" -> "an array";
                    case "Object" -> "an object";
                    case "Floating-point" -> "a number with a fraction";
                    default -> "a value of type " + k.toLowerCase(java.util.Locale.ROOT);
                };
            }
        }
        return "a value of another JSON type";
    }

    /** Drops Jackson's source excerpts, feature names and Java class names. */
    static String clean(String message) {
        if (message == null) return "unreadable JSON";
        if (message.startsWith("Trailing token")) return "unexpected content after the JSON object";
        if (message.startsWith("Duplicate field ")) {
            String field = message.substring("Duplicate field ".length());
            return "duplicate field " + (field.length() <= 200 ? field : field.substring(0, 200) + "...")
                    + ": a field may appear once";
        }
        String s = message
                .replaceAll("\\s*\\(start marker at \\[Source: .*?; line: (\\d+), column: (\\d+)\\]\\)",
                        " (opened at line $1, column $2)")
                .replaceAll("[:;,]?\\s*(?:enable|disable) `[^`]*` to allow", " (not allowed in JSON)")
                .replaceAll("\\s*\\(not recognized as one since Feature '\\w+' not enabled for parser\\)",
                        " (comments are not allowed in JSON)")
                .replaceAll(",?\\s*from `[^`]*`", "")
                .replaceAll("\\s*\\(but could if [^)]*\\)", "")
                .replaceAll("`(?:\\w+\\.)*(\\w+)`", "$1");
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }

    /** Where the parser stopped; a parse error wrapped with a field path keeps it in its cause. */
    private static String location(JsonProcessingException p) {
        JsonLocation at = p.getLocation();
        if (at == null && p.getCause() instanceof JsonProcessingException cause) at = cause.getLocation();
        return at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }
}
