package sn37.miner.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The text of Python's {@code json.dumps(value, indent=2, sort_keys=True)}, which transformers
 * uses for config.json, generation_config.json and model.safetensors.index.json: every member
 * on its own line indented by two spaces per level, {@code ","} ending a line and {@code ": "}
 * after keys, keys sorted by code point, non-ASCII escaped as {@code \\uXXXX}
 * ({@code ensure_ascii}), floats in {@code repr} form ({@code 1e-05}, {@code 10000.0}). No
 * trailing newline: transformers appends one.
 */
final class PythonJson {

    private PythonJson() {
    }

    static String dumps(JsonNode value) {
        StringBuilder out = new StringBuilder();
        write(out, value, 0);
        return out.toString();
    }

    private static void write(StringBuilder out, JsonNode value, int depth) {
        switch (value.getNodeType()) {
            case OBJECT -> {
                if (value.isEmpty()) {
                    out.append("{}");
                    return;
                }
                List<String> keys = new ArrayList<>();
                value.fieldNames().forEachRemaining(keys::add);
                keys.sort(CodePointOrder.INSTANCE);
                out.append('{');
                for (int i = 0; i < keys.size(); i++) {
                    newline(out.append(i > 0 ? "," : ""), depth + 1);
                    appendString(out, keys.get(i)).append(": ");
                    write(out, value.get(keys.get(i)), depth + 1);
                }
                newline(out, depth).append('}');
            }
            case ARRAY -> {
                if (value.isEmpty()) {
                    out.append("[]");
                    return;
                }
                out.append('[');
                int i = 0;
                for (Iterator<JsonNode> it = value.elements(); it.hasNext(); i++) {
                    newline(out.append(i > 0 ? "," : ""), depth + 1);
                    write(out, it.next(), depth + 1);
                }
                newline(out, depth).append(']');
            }
            case STRING -> appendString(out, value.textValue());
            case BOOLEAN -> out.append(value.booleanValue() ? "true" : "false");
            case NULL -> out.append("null");
            case NUMBER -> out.append(value.isIntegralNumber() ? value.bigIntegerValue().toString()
                    : floatRepr(value.doubleValue()));
            default -> throw new IllegalArgumentException("no JSON form for a " + value.getNodeType() + " node");
        }
    }

    private static StringBuilder newline(StringBuilder out, int depth) {
        out.append('\n');
        for (int i = 0; i < depth; i++) {
            out.append("  ");
        }
        return out;
    }

    private static StringBuilder appendString(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    // ensure_ascii escapes everything outside ' '..'~', DEL included; Java chars
                    // are already the UTF-16 units Python writes for characters above U+FFFF.
                    if (c < 0x20 || c > 0x7E) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    /**
     * Python's {@code float.__repr__}: the shortest decimal that reads back as the same double,
     * in positional form when the decimal point falls within 16 digits of it (CPython's
     * {@code format_float_short} with mode 'r': exponent form when decpt <= -4 or decpt > 16),
     * otherwise as {@code d.ddde+XX}. JSON spellings for the non-finite values.
     */
    static String floatRepr(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        String sign = (Double.doubleToRawLongBits(value) < 0) ? "-" : "";
        if (value == 0) {
            return sign + "0.0";
        }
        BigDecimal exact = new BigDecimal(Math.abs(value));
        BigDecimal shortest = exact;
        for (int precision = 1; precision <= 17; precision++) {
            BigDecimal candidate = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (Double.parseDouble(candidate.toString()) == Math.abs(value)) {
                shortest = candidate;
                break;
            }
        }
        shortest = shortest.stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int decpt = digits.length() - shortest.scale();
        StringBuilder out = new StringBuilder(sign);
        if (decpt <= -4 || decpt > 16) {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            int exponent = decpt - 1;
            out.append('e').append(exponent < 0 ? '-' : '+');
            int magnitude = Math.abs(exponent);
            out.append(magnitude < 10 ? "0" : "").append(magnitude);
        } else if (decpt <= 0) {
            out.append("0.").append("0".repeat(-decpt)).append(digits);
        } else if (decpt >= digits.length()) {
            out.append(digits).append("0".repeat(decpt - digits.length())).append(".0");
        } else {
            out.append(digits, 0, decpt).append('.').append(digits, decpt, digits.length());
        }
        return out.toString();
    }
}
