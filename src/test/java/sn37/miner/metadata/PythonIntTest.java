package sn37.miner.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PythonIntTest {

    // Expected values are what CPython 3.11.7 int() returned for the same text.
    @ParameterizedTest(name = "int({0}) == {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "'+3'|3",
                "' 2 '|2",
                "'\t4\n'|4",
                "'1_0'|10",
                "'\u000B5\u000C'|5",
                "'\u00A05\u3000'|5",
                "'\u0085 7'|7",
                "'1\u00A0'|1",
                "'\u0663'|3",
                "'\uFF13'|3",
                "'\u0663_\u0663'|33",
                "'\uFF11\uFF12'|12",
                "'\u0E52\u0E53'|23",
                "'\uD835\uDFD9'|1",
                "'\uD81A\uDEC3'|3",
                "'-0'|0",
                "'00'|0",
                "'0_0'|0",
                "'0000000000000000000002'|2",
                "'-1'|-1",
                "'2147483648'|2147483648",
                "'-99999999999999999999999'|-99999999999999999999999",
            })
    void acceptsWhatPythonIntAccepts(String text, String expected) {
        assertEquals(Optional.of(new BigInteger(expected)), PythonInt.parse(text));
    }

    // Each of these raised ValueError in CPython 3.11.7.
    @ParameterizedTest(name = "int({0}) raises")
    @ValueSource(
            strings = {
                "", "  ", "+", "-", "1__0", "1_", "_1", "+_1", "- 5", "+-5", "1 0", "2.0", "0x2", "None",
                "\u001C5", "5\u001C", "\u200B5", "\u007F", "5\u0000", "\u00B2", "\u2167", "\uD804\uDF53",
            })
    void rejectsWhatPythonIntRejects(String text) {
        assertEquals(Optional.empty(), PythonInt.parse(text));
    }

    @org.junit.jupiter.api.Test
    void rejectsMoreThan4300DigitsAsPython311Does() {
        assertEquals(Optional.of(BigInteger.ZERO), PythonInt.parse("0".repeat(PythonInt.MAX_STR_DIGITS)));
        assertEquals(Optional.empty(), PythonInt.parse("0".repeat(PythonInt.MAX_STR_DIGITS) + "2"));
        assertEquals(Optional.empty(), PythonInt.parse("1" + "_0".repeat(PythonInt.MAX_STR_DIGITS)));
    }
}
