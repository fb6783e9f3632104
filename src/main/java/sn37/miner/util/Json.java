package sn37.miner.util;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one Jackson configuration: strict on input (unknown fields are errors), ISO-8601 times on output. */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    /**
     * For what people type (request bodies, configured run parameters): a value of the wrong JSON type is an
     * error instead of being converted, so "8" is not 8, 8.7 is not 8, 5 is not "5" and 1 or "true" is not true.
     */
    private static final ObjectMapper TYPED = strictTypes(MAPPER.copy());

    /**
     * For what this program stored earlier (a stage's recorded outputs): a field an older version did not write is
     * absent, and reads as null, 0 or false; a field a newer version wrote and this one dropped is ignored. A record
     * written before a field was added must still resume.
     */
    private static final ObjectMapper RECORDS = MAPPER.copy()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private Json() {}

    /** A reader of a stored record of {@code type} (see {@link #RECORDS}). */
    public static ObjectReader recordReader(Class<?> type) {
        return RECORDS.readerFor(type);
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A reader of {@code type} that refuses values of the wrong JSON type (see {@link #TYPED}). */
    public static ObjectReader strictReader(Class<?> type) {
        return TYPED.readerFor(type);
    }

    private static ObjectMapper strictTypes(ObjectMapper m) {
        // {"offline": true, "offline": false} is an error naming the field, not "the last one wins"
        m.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        m.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        for (CoercionInputShape shape : new CoercionInputShape[] {CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean}) {
            m.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            m.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        m.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        m.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        return m;
    }
}
