package sn37.miner.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a JSON value against a schema of an OpenAPI 3.0 document: the keywords swagger-core writes for our records
 * ($ref, type, format, enum, properties, required, items, additionalProperties). A field the schema does not list is
 * an error, and so is a keyword this check does not know, so the check never passes by ignoring something.
 */
final class SchemaCheck {
    private static final Set<String> KNOWN = Set.of("$ref", "type", "format", "enum", "properties", "required", "items",
            "additionalProperties", "description", "title", "example");

    private final JsonNode document;

    SchemaCheck(JsonNode document) {
        this.document = document;
    }

    /** Where {@code value} breaks {@code schema}, as "at: why" lines; empty when it conforms. */
    List<String> errors(JsonNode schema, JsonNode value) {
        List<String> out = new ArrayList<>();
        check(schema, value, "$", out);
        return out;
    }

    JsonNode resolve(JsonNode schema) {
        while (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            if (!ref.startsWith("#/")) throw new AssertionError("only local $refs are supported: " + ref);
            schema = document.at(ref.substring(1));
            if (schema.isMissingNode()) throw new AssertionError("$ref " + ref + " leads nowhere");
        }
        return schema;
    }

    private void check(JsonNode schema, JsonNode value, String at, List<String> out) {
        schema = resolve(schema);
        for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
            String keyword = it.next();
            if (!KNOWN.contains(keyword) && !keyword.startsWith("x-")) {
                throw new AssertionError("schema keyword '" + keyword + "' at " + at + " is not supported by this check");
            }
        }
        if (value.isNull()) {
            out.add(at + ": null, but nulls are left out of answers");
            return;
        }
        String type = schema.path("type").asText("");
        boolean typeOk = switch (type) {
            case "" -> true;
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> throw new AssertionError("type '" + type + "' at " + at + " is not supported by this check");
        };
        if (!typeOk) {
            out.add(at + ": " + value.getNodeType() + ", expected " + type);
            return;
        }
        format(schema.path("format").asText(""), value, at, out);
        if (schema.has("enum")) {
            boolean listed = false;
            for (JsonNode e : schema.get("enum")) listed |= e.equals(value);
            if (!listed) out.add(at + ": " + value + " is not one of " + schema.get("enum"));
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) check(schema.get("items"), value.get(i), at + "[" + i + "]", out);
        }
        if (value.isObject()) object(schema, value, at, out);
    }

    private void object(JsonNode schema, JsonNode value, String at, List<String> out) {
        for (JsonNode name : schema.path("required")) {
            if (!value.has(name.asText())) out.add(at + ": required field '" + name.asText() + "' is missing");
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String where = at + "." + f.getKey();
            if (properties.has(f.getKey())) {
                check(properties.get(f.getKey()), f.getValue(), where, out);
            } else if (additional != null && additional.isObject()) {
                check(additional, f.getValue(), where, out);
            } else if (!properties.isMissingNode() || (additional != null && !additional.asBoolean(true))) {
                out.add(where + ": a field the schema does not list");
            }
        }
    }

    private static void format(String format, JsonNode value, String at, List<String> out) {
        switch (format) {
            case "" -> { }
            case "int32" -> {
                if (!value.canConvertToInt()) out.add(at + ": " + value + " is not an int32");
            }
            case "int64" -> {
                if (!value.canConvertToLong()) out.add(at + ": " + value + " is not an int64");
            }
            case "double", "float" -> { }
            case "date-time" -> {
                try {
                    OffsetDateTime.parse(value.asText());
                } catch (DateTimeParseException e) {
                    out.add(at + ": '" + value.asText() + "' is not an RFC 3339 date-time");
                }
            }
            default -> throw new AssertionError("format '" + format + "' at " + at + " is not supported by this check");
        }
    }
}
