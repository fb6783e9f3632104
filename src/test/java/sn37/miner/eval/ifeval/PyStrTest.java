package sn37.miner.eval.ifeval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PyStrTest {

    @Test
    void whitespaceIsExactlyWhatPythonsIsspaceAccepts() {
        // [hex(c) for c in range(0x110000) if chr(c).isspace()], CPython 3.11
        List<Integer> python = List.of(0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680,
                0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028,
                0x2029, 0x202f, 0x205f, 0x3000);
        List<Integer> ours = new ArrayList<>();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (PyStr.isSpace(cp)) ours.add(cp);
        }
        assertEquals(python, ours);
    }

    @Test
    void splitlinesBreaksWhereAndAsPythonDoes() {
        // [hex(c) for c in range(0x110000) if len(("a" + chr(c) + "b").splitlines()) > 1]
        List<Integer> python = List.of(0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029);
        for (int cp = 0; cp <= 0x3000; cp++) {
            String s = "a" + Character.toString(cp) + "b";
            assertEquals(python.contains(cp), PyStr.splitlines(s).size() > 1, Integer.toHexString(cp));
        }
        assertEquals(List.of("a", "", "b"), PyStr.splitlines("a\r\n\nb\n"));
        assertEquals(List.of(), PyStr.splitlines(""));
    }

    @Test
    void wordsDropAsciiPunctuationOnlyThenSplit() {
        assertEquals(List.of("Earths", "tilt", "—", "wellknown", "«fact»"),
                PyStr.words("Earth's tilt — well-known «fact»."));
    }

    @Test
    void casingNeedsACasedCharacter() {
        assertTrue(PyStr.isUpper("ABC 1"));
        assertFalse(PyStr.isUpper("1 2"));
        assertTrue(PyStr.isLower("ß and ŉ"));
        assertFalse(PyStr.isLower("ǈ"), "title case");
    }
}
