package sn37.miner.metadata;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;

/**
 * Parses text the way CPython 3.11 {@code int(text)} does (base 10), so a competition id reads the same here
 * as on a validator: surrounding whitespace, a sign, single underscores between digits, non-ASCII decimal
 * digits and integers of any size are accepted; anything else is empty.
 */
final class PythonInt {

    /** {@code sys.int_info.default_max_str_digits} since Python 3.11 (and 3.10.7, 3.9.14): more digits raise ValueError. */
    static final int MAX_STR_DIGITS = 4300;

    /** Non-ASCII characters for which Python's {@code str.isspace()} is true. */
    private static final int[] UNICODE_SPACES = {
        0x85, 0xA0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009,
        0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
    };

    /**
     * The zero of every run of ten decimal digits (general category Nd) in Unicode 14.0, the database of
     * Python 3.11 ({@code unicodedata.decimal}); Java 17's Unicode 13 lacks Tangsa (U+16AC0).
     */
    private static final int[] DIGIT_ZEROS = {
        0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xDE6,
        0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0,
        0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10, 0x104A0, 0x10D30,
        0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0, 0x11730, 0x118E0,
        0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC,
        0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
    };

    private PythonInt() {
    }

    static Optional<BigInteger> parse(String text) {
        String ascii = toAscii(text);
        if (ascii == null) {
            return Optional.empty();
        }
        return parseAscii(ascii);
    }

    /**
     * CPython Objects/unicodeobject.c {@code _PyUnicode_TransformDecimalAndSpaceToASCII}: code points below
     * 127 stay, other whitespace becomes ' ', other decimal digits become '0'..'9', anything else fails.
     */
    private static String toAscii(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 127) {
                out.append((char) cp);
            } else if (Arrays.binarySearch(UNICODE_SPACES, cp) >= 0) {
                out.append(' ');
            } else {
                int digit = decimalValue(cp);
                if (digit < 0) {
                    return null;
                }
                out.append((char) ('0' + digit));
            }
        }
        return out.toString();
    }

    static int decimalValue(int cp) {
        int at = Arrays.binarySearch(DIGIT_ZEROS, cp);
        int zero = at >= 0 ? DIGIT_ZEROS[at] : (at == -1 ? -1 : DIGIT_ZEROS[-at - 2]);
        return zero >= 0 && cp - zero < 10 ? cp - zero : -1;
    }

    /** CPython Objects/longobject.c {@code PyLong_FromString} with base 10. */
    private static Optional<BigInteger> parseAscii(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && isAsciiSpace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        if (i >= n || !isAsciiDigit(s.charAt(i))) {
            return Optional.empty();
        }
        StringBuilder digits = new StringBuilder();
        char previous = 0;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (isAsciiDigit(c)) {
                digits.append(c);
            } else if (c == '_') {
                if (previous == '_') {
                    return Optional.empty();
                }
            } else {
                break;
            }
            previous = c;
        }
        if (previous == '_' || digits.length() > MAX_STR_DIGITS) {
            return Optional.empty();
        }
        while (i < n && isAsciiSpace(s.charAt(i))) {
            i++;
        }
        if (i != n) {
            return Optional.empty();
        }
        BigInteger value = new BigInteger(digits.toString());
        return Optional.of(negative ? value.negate() : value);
    }

    /** {@code Py_ISSPACE}: only these six; ASCII 0x1C..0x1F are str.isspace() but not accepted by int(). */
    private static boolean isAsciiSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
