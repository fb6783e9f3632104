package sn37.miner.data;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import sn37.miner.io.JsonSyntax;

/** One JSON value per line: strict parsing of a row and the snapshot encoding of a sample. */
final class JsonlFormat {

    // Trailing tokens and repeated keys make a row ambiguous, so they count as malformed.
    // Without COMBINE_UNICODE_SURROGATES_IN_UTF8 an emoji is written as two escaped surrogates, not UTF-8.
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    private JsonlFormat() {
    }

    static JsonNode parse(String line) throws JacksonException {
        return MAPPER.readTree(line);
    }

    /** "malformed JSON at column 12: unexpected character"; never any text of the row, which may be a secret. */
    static String malformed(JacksonException e) {
        JsonLocation at = e.getLocation();
        String column = at != null && at.getColumnNr() > 0 ? " at column " + at.getColumnNr() : "";
        return "malformed JSON" + column + ": " + JsonSyntax.reason(e);
    }

    static byte[] encode(McSample s) throws JacksonException {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("challenge", s.challenge());
        node.put("reference", s.reference());
        putIfPresent(node, "id", s.id());
        putIfPresent(node, "hotkey", s.hotkey());
        putIfPresent(node, "timestamp", s.timestamp());
        return MAPPER.writeValueAsBytes(node);
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
