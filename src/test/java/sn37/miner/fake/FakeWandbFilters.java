package sn37.miner.fake;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;

/**
 * The subset of W&B's Mongo-style run filters the SN1 loaders send, evaluated strictly: {@code $and}, {@code $or},
 * {@code state}, {@code createdAt}/{@code updatedAt} with {@code $gte $gt $lt $lte} on "yyyy-MM-dd HH:mm:ss" UTC
 * strings, and {@code config.<key>} equality. Anything else is refused as the server would refuse a bad query.
 */
final class FakeWandbFilters {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    static final class BadFilter extends RuntimeException {
        BadFilter(String message) {
            super(message);
        }
    }

    private FakeWandbFilters() {}

    static boolean matches(FakeWandbRun run, JsonNode filter, boolean ignoreConfig) {
        if (!filter.isObject()) {
            throw new BadFilter("filter must be an object, got " + filter);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = filter.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!field(run, e.getKey(), e.getValue(), ignoreConfig)) {
                return false;
            }
        }
        return true;
    }

    private static boolean field(FakeWandbRun run, String key, JsonNode value, boolean ignoreConfig) {
        switch (key) {
            case "$and", "$or" -> {
                if (!value.isArray() || value.isEmpty()) {
                    throw new BadFilter(key + " needs a non-empty list");
                }
                for (JsonNode f : value) {
                    boolean m = matches(run, f, ignoreConfig);
                    if (key.equals("$and") && !m) {
                        return false;
                    }
                    if (key.equals("$or") && m) {
                        return true;
                    }
                }
                return key.equals("$and");
            }
            case "state" -> {
                return equalsText(value, run.state);
            }
            case "createdAt" -> {
                return time(run.createdAt, value);
            }
            case "updatedAt" -> {
                return time(run.updatedAt, value);
            }
            default -> {
                if (key.startsWith("config.")) {
                    if (ignoreConfig) {
                        return true;
                    }
                    Object v = run.config.get(key.substring("config.".length()));
                    return v != null && equalsText(value, v.toString());
                }
                throw new BadFilter("unsupported filter field " + key);
            }
        }
    }

    private static boolean equalsText(JsonNode value, String actual) {
        if (value.isTextual()) {
            return value.asText().equals(actual);
        }
        if (value.isObject() && value.size() == 1 && value.path("$eq").isTextual()) {
            return value.get("$eq").asText().equals(actual);
        }
        throw new BadFilter("expected a string or {$eq: string}, got " + value);
    }

    private static boolean time(Instant actual, JsonNode ops) {
        if (!ops.isObject() || ops.isEmpty()) {
            throw new BadFilter("time filter needs operators, got " + ops);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = ops.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Instant bound;
            try {
                bound = LocalDateTime.parse(e.getValue().asText(), TIME).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException ex) {
                throw new BadFilter("time '" + e.getValue().asText() + "' is not yyyy-MM-dd HH:mm:ss");
            }
            boolean ok = switch (e.getKey()) {
                case "$gte" -> !actual.isBefore(bound);
                case "$gt" -> actual.isAfter(bound);
                case "$lt" -> actual.isBefore(bound);
                case "$lte" -> !actual.isAfter(bound);
                default -> throw new BadFilter("unsupported time operator " + e.getKey());
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
