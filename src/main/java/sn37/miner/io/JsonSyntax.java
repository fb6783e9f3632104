package sn37.miner.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.io.JsonEOFException;

/**
 * Where and why a JSON file does not parse, without Jackson's own message: that quotes the offending token and
 * an excerpt of the source ("Unrecognized token 'HF_ACCESS_TOKEN'"), and the file may be {@code .env}.
 */
public final class JsonSyntax {
    private JsonSyntax() {}

    /** "line 3, column 7: unquoted text where a JSON value was expected" (the location part only when known). */
    public static String describe(JacksonException e) {
        JsonLocation at = e.getLocation();
        String where = "";
        if (at != null && at.getLineNr() > 0) {
            where = "line " + at.getLineNr() + (at.getColumnNr() > 0 ? ", column " + at.getColumnNr() : "") + ": ";
        }
        return where + reason(e);
    }

    /** A fixed phrase per kind of error; Jackson's text is only matched against, never copied. */
    public static String reason(JacksonException e) {
        if (e instanceof JsonEOFException) return "the text ends inside a JSON value";
        String m = e.getOriginalMessage();
        if (m == null) return "not valid JSON";
        if (m.startsWith("Unrecognized token")) return "unquoted text where a JSON value was expected";
        if (m.startsWith("Unexpected character")) return "unexpected character";
        if (m.startsWith("Unexpected end-of-input")) return "the text ends inside a JSON value";
        if (m.startsWith("Duplicate field") || m.startsWith("Duplicate Object property")) return "a key appears twice";
        if (m.startsWith("Trailing token")) return "more than one JSON value";
        if (m.startsWith("Illegal unquoted character")) return "a control character inside a string";
        if (m.startsWith("Unrecognized character escape")) return "an invalid escape in a string";
        if (m.startsWith("Invalid UTF-8") || m.startsWith("Invalid UTF")) return "not valid UTF-8";
        if (m.startsWith("Illegal character") || m.startsWith("Invalid white space")) return "an illegal character";
        if (m.contains("out of range") || m.startsWith("Invalid numeric value") || m.contains("Number length")) {
            return "a number that is invalid or out of range";
        }
        if (m.contains("String length") || m.contains("nesting depth") || m.contains("exceeds the maximum")) {
            return "a value past the parser's limits";
        }
        return "not valid JSON";
    }
}
