package sn37.miner.eval.ifeval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RuleTest {

    @Test
    void wordCountsSplitOnAnyWhitespaceIncludingNewlinesAndNoBreakSpaces() {
        Rule atMost = new Rule.WordCountAtMost(3);
        assertTrue(atMost.matches("one two\n\tthree", 0));
        assertFalse(atMost.matches("one two three\u00a0four", 0));
        Rule atLeast = new Rule.WordCountAtLeast(3);
        assertTrue(atLeast.matches("a, b, c", 0));
        assertFalse(atLeast.matches("a,b, c", 0));
        assertEquals("The response must be no more than 3 words.", atMost.prompt(0));
        assertEquals("The response must be at least 1 word.", new Rule.WordCountAtLeast(1).prompt(0));
    }

    @Test
    void sentenceCountsUsePunktBoundaries() {
        Rule atMost = new Rule.SentenceCountAtMost(1);
        assertTrue(atMost.matches("Dr. Who is here", 0) == false, "untrained Punkt splits after Dr.");
        assertTrue(atMost.matches("J. Smith is here.", 0));
        assertFalse(atMost.matches("One. Two.", 0));
        Rule atLeast = new Rule.SentenceCountAtLeast(2);
        assertTrue(atLeast.matches("Is it? Yes.", 0));
        assertFalse(atLeast.matches("Only one sentence here", 0));
        assertEquals("The response must be no more than 1 sentence.", atMost.prompt(0));
        assertEquals("The response must be at least 2 sentences.", atLeast.prompt(1));
    }

    @Test
    void casingNeedsACasedLetterAndNoneOfTheOtherCase() {
        Rule upper = new Rule.Uppercase();
        assertTrue(upper.matches("HELLO, WORLD 42!", 0));
        assertFalse(upper.matches("HELLO World", 0));
        assertFalse(upper.matches("123 !!", 0), "no cased character");
        assertFalse(upper.matches("ǅ", 0), "title case is neither");
        Rule lower = new Rule.Lowercase();
        assertTrue(lower.matches("naïve café, 42", 0));
        assertFalse(lower.matches("naïve Café", 0));
        assertFalse(lower.matches("", 0));
    }

    @Test
    void noCommasFailsOnAnyAsciiComma() {
        Rule rule = new Rule.NoCommas();
        assertTrue(rule.matches("no commas here; only semicolons、and ideographic ones", 0));
        assertFalse(rule.matches("one, two", 0));
    }

    @Test
    void keywordRulesCompareWholeWordsLowerCasedWithPunctuationRemoved() {
        Rule inclusion = new Rule.KeywordInclusion(List.of("Oxygen", "earths"));
        assertTrue(inclusion.matches("We need OXYGEN.", 0));
        assertFalse(inclusion.matches("We need oxygenated air", 0));
        assertTrue(inclusion.matches("The Earth's tilt", 1), "the apostrophe is removed before splitting");
        assertFalse(inclusion.matches("The Earth tilt", 1));
        assertEquals("The word \"earths\" must be included in the response.", inclusion.prompt(1));

        Rule forbidden = new Rule.KeywordForbidden(List.of("sun", "moon"));
        assertTrue(forbidden.matches("The sunny day", 0));
        assertFalse(forbidden.matches("The (Sun) rises", 0));
        assertTrue(forbidden.matches("The sun rises", 1), "index 1 checks the second word");

        Rule frequency = new Rule.KeywordFrequency(List.of("cell", "gene"), List.of(2, 1));
        assertTrue(frequency.matches("Cell, cell; cells.", 0));
        assertFalse(frequency.matches("cell cell cell", 0));
        assertTrue(frequency.matches("one gene", 1));
        assertEquals("Include the word \"cell\" 2 times.", frequency.prompt(0));
        assertEquals("Include the word \"gene\" 1 time.", frequency.prompt(1));
        assertThrows(IllegalArgumentException.class, () -> new Rule.KeywordFrequency(List.of("a"), List.of()));
    }

    @Test
    void bulletsAreLinesWhoseFirstNonBlankCharacterIsAStar() {
        Rule two = new Rule.BulletCount(2);
        assertTrue(two.matches("Intro\n* one\n   *two\n- three", 0));
        assertFalse(two.matches("* one\r\n* two\r\n*** three", 0));
        assertTrue(two.matches("* one\u2028* two", 0), "splitlines breaks at U+2028");
        assertEquals("The response must contain exactly 1 '*' bullet point in markdown format.",
                new Rule.BulletCount(1).prompt(0));
        assertThrows(IllegalArgumentException.class, () -> new Rule.BulletCount(0));
    }

    @Test
    void endsWithIgnoresCaseButNotTrailingWhitespace() {
        Rule rule = new Rule.EndsWith("Hope that helps.");
        assertTrue(rule.matches("Answer is 4. HOPE THAT HELPS.", 0));
        assertFalse(rule.matches("Answer is 4. Hope that helps. ", 0));
        assertFalse(rule.matches("Hope that helps!", 0));
        assertEquals("End your response with the exact phrase \"Hope that helps.\"", rule.prompt(0));
    }

    @Test
    void quotationNeedsADoubleQuoteAtBothEnds() {
        Rule rule = new Rule.Quotation();
        assertTrue(rule.matches("\"quoted answer\"", 0));
        assertTrue(rule.matches("\"", 0), "one quote both starts and ends it, as in Python");
        assertFalse(rule.matches("\"quoted answer\" ", 0));
        assertFalse(rule.matches("'single'", 0));
    }
}
