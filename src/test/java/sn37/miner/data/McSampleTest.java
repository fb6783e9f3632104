package sn37.miner.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class McSampleTest {

    @Test
    void acceptsOnlyTheFourUpperCaseLetters() {
        for (String letter : McSample.LETTERS) {
            assertTrue(McSample.isLetter(letter));
        }
        for (String other : new String[] {"a", "E", " A", "A ", "AB", "", null}) {
            assertFalse(McSample.isLetter(other), String.valueOf(other));
        }
    }

    @Test
    void rejectsReferenceOutsideAtoD() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new McSample("Q", "E"));

        assertEquals("reference must be one of A-D, got a string of length 1", e.getMessage());
    }

    @Test
    void rejectsBlankChallenge() {
        assertThrows(IllegalArgumentException.class, () -> new McSample(" \n", "A"));
        assertThrows(NullPointerException.class, () -> new McSample(null, "A"));
    }

    @Test
    void provenanceFieldsAreOptional() {
        McSample sample = new McSample("Q", "A");

        assertNull(sample.id());
        assertNull(sample.hotkey());
        assertNull(sample.timestamp());
    }
}
