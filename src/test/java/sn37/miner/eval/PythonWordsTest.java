package sn37.miner.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Python's \w, checked code point by code point against CPython's own answer (resources eval/word-chars.txt). */
class PythonWordsTest {

    private static BitSet pythonWordChars() throws IOException {
        BitSet set = new BitSet(0x110000);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                PythonWordsTest.class.getResourceAsStream("/eval/word-chars.txt"), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("#")) continue;
                String[] range = line.split(" ");
                set.set(Integer.parseInt(range[0], 16), Integer.parseInt(range[1], 16) + 1);
            }
        }
        return set;
    }

    @Test
    void agreesWithCpythonOnEveryCodePointJavaKnows() throws IOException {
        BitSet python = pythonWordChars();
        assertTrue(python.cardinality() > 100_000, "the vector file lists the word characters");
        List<String> disagreements = new ArrayList<>();
        for (int cp = 0; cp < 0x110000; cp++) {
            // CPython 3.11 knows Unicode 14, Java 17 Unicode 13: code points new in 14 are not comparable.
            if (Character.getType(cp) == Character.UNASSIGNED) continue;
            if (PythonWords.isWordChar(cp) != python.get(cp)) disagreements.add(Integer.toHexString(cp));
        }
        assertEquals(List.of(), disagreements);
    }

    @Test
    void splitsOnEveryNonWordCharacter() {
        assertEquals(List.of("The", "answer", "is", "C"), PythonWords.words("The answer is C."));
        assertEquals(List.of("snake_case", "x2", "é"), PythonWords.words("  snake_case--x2\t\u00e9\n"));
        assertEquals(List.of(), PythonWords.words(" .,;"));
    }
}
