package sn37.miner.eval.ifeval;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many sentences NLTK's untrained {@code PunktSentenceTokenizer().tokenize(text)} finds (nltk/tokenize/punkt.py,
 * 3.8 to 3.9), which is how the IFEval sentence-count rules count. Validators build the tokenizer without training
 * text, so its parameters are empty: no known abbreviations, collocations, frequent sentence starters or
 * orthographic context. What is left of the algorithm, and reproduced here:
 *
 * <ul>
 *   <li>candidate breaks are ".", "?" or "!" followed by other punctuation or by whitespace and a token
 *       ({@code period_context_re}); the context of each is the word before it, the match and what follows;
 *   <li>the context is split into tokens (per line, by the Punkt word regex) and annotated: "?", "!" and "."
 *       tokens, and any token ending in a single "." that is not an ellipsis, are breaks (first pass); a break
 *       after an initial ("J.") or a number ("1999.") is undone when the next token is punctuation or starts
 *       lower-case, and after an initial also when it starts upper-case (second pass, 4.3, with empty tables);
 *   <li>the context holds a break when a break token has any token after it; sentences are cut there, then the
 *       boundaries are realigned over closing quotes and brackets, and empty sentences are dropped.
 * </ul>
 *
 * Regex classes follow Python's {@code re} on str: {@code \s} is {@code str.isspace()}.
 */
public final class PunktSentences {

    private static final String WS = PyStr.SPACE_CLASS;
    private static final String S = "[" + WS + "]";
    private static final String NS = "[^" + WS + "]";
    private static final String NON_WORD = "(?:[)\";}\\]*:@'({\\[?!])";
    private static final String MULTI_CHAR = "(?:-{2,}|\\.{2,}|(?:\\." + S + "){2,}\\.)";
    private static final String WORD_START = "[^(\"`{\\[:;&#*@)}\\]\\-,]";
    // Python's $ without MULTILINE also matches before a final "\n"; tokenized lines hold no "\n".
    private static final Pattern WORD = Pattern.compile(MULTI_CHAR + "|(?=" + WORD_START + ")" + NS + "+?(?=" + S
            + "|$|" + NON_WORD + "|" + MULTI_CHAR + "|,(?=$|" + S + "|" + NON_WORD + "|" + MULTI_CHAR + "))|" + NS,
            Pattern.UNIX_LINES);
    private static final Pattern PERIOD_CONTEXT = Pattern.compile(
            "[.?!](?=(?<after>" + NON_WORD + "|" + S + "+(?<next>" + NS + "+)))", Pattern.UNIX_LINES);
    private static final Pattern REALIGN = Pattern.compile("[\"')\\]}]+?(?:" + S + "+|(?=--)|$)",
            Pattern.MULTILINE | Pattern.UNIX_LINES);
    private static final Pattern NUMERIC = Pattern.compile("^-?[.,]?\\p{Nd}[\\p{Nd},.-]*\\.?$",
            Pattern.UNIX_LINES);
    private static final String ASCII_WHITESPACE = " \t\n\r\u000B\f";

    private PunktSentences() {}

    public static int count(String text) {
        return sentences(text).size();
    }

    /** The sentences as {@code tokenize} returns them. */
    public static List<String> sentences(String text) {
        List<int[]> slices = slices(text);
        List<String> out = new ArrayList<>();
        int realign = 0;
        for (int n = 0; n < slices.size(); n++) {
            int start = slices.get(n)[0] + realign;
            int stop = slices.get(n)[1];
            if (n + 1 == slices.size()) {
                if (start < stop) out.add(text.substring(start, stop));
                continue;
            }
            int[] next = slices.get(n + 1);
            Matcher m = REALIGN.matcher(text.substring(next[0], Math.max(next[0], next[1])));
            if (m.lookingAt()) {
                out.add(text.substring(start, next[0] + PyStr.rstrip(m.group()).length()));
                realign = m.end();
            } else {
                realign = 0;
                if (start < stop) out.add(text.substring(start, stop));
            }
        }
        return out;
    }

    /** {@code _slices_from_text}: [start, stop) of each sentence before realignment. */
    private static List<int[]> slices(String text) {
        List<int[]> slices = new ArrayList<>();
        int lastBreak = 0;
        for (Candidate c : candidates(text)) {
            if (containsBreak(c.word + text.substring(c.start, c.end) + c.after)) {
                slices.add(new int[] {lastBreak, c.end});
                lastBreak = c.nextStart >= 0 ? c.nextStart : c.end;
            }
        }
        slices.add(new int[] {lastBreak, PyStr.rstrip(text).length()});
        return slices;
    }

    /** A possible break: the end character's span, the word before it, what follows it, where the next token starts. */
    private record Candidate(int start, int end, String word, String after, int nextStart) {}

    /**
     * {@code _match_potential_end_contexts}: each match of {@code period_context_re} with the word before it (from
     * the last ASCII whitespace after the previous match); a match is dropped when the next match's word reaches
     * back into its own word ("acting!!!" gives one candidate, the last "!").
     */
    private static List<Candidate> candidates(String text) {
        List<Candidate> out = new ArrayList<>();
        int previousStart = 0;
        int previousStop = 0;
        Candidate pending = null;
        Matcher m = PERIOD_CONTEXT.matcher(text);
        while (m.find()) {
            int lastSpace = lastAsciiWhitespace(text.substring(previousStop, m.start()));
            int wordStart = lastSpace != 0 ? lastSpace + previousStop + 1 : previousStart;
            if (pending != null && previousStop <= wordStart) out.add(pending);
            pending = new Candidate(m.start(), m.end(), text.substring(wordStart, m.start()), m.group("after"),
                    m.group("next") == null ? -1 : m.start("next"));
            previousStart = wordStart;
            previousStop = m.start();
        }
        if (pending != null) out.add(pending);
        return out;
    }

    /** {@code _get_last_whitespace_index}: 0 when there is none (or it is at 0). */
    private static int lastAsciiWhitespace(String s) {
        for (int i = s.length() - 1; i >= 0; i--) {
            if (ASCII_WHITESPACE.indexOf(s.charAt(i)) >= 0) return i;
        }
        return 0;
    }

    /** {@code text_contains_sentbreak}: some token after a break token. */
    static boolean containsBreak(String context) {
        List<String> tokens = new ArrayList<>();
        for (String line : context.split("\n", -1)) {
            if (PyStr.isBlank(line)) continue;
            Matcher w = WORD.matcher(line);
            while (w.find()) tokens.add(w.group());
        }
        boolean found = false;
        for (int i = 0; i < tokens.size(); i++) {
            if (found) return true;
            found = isBreak(tokens.get(i), i + 1 < tokens.size() ? tokens.get(i + 1) : null);
        }
        return false;
    }

    /** The token's sentbreak after both annotation passes, given the token after it (null at the end). */
    private static boolean isBreak(String tok, String next) {
        boolean periodFinal = tok.endsWith(".");
        boolean sentbreak;
        if (tok.equals(".") || tok.equals("?") || tok.equals("!")) {
            sentbreak = true;
        } else if (tok.matches("\\.\\.+")) {
            sentbreak = false; // ellipsis; with no orthographic context it never becomes a break
        } else {
            sentbreak = periodFinal && !tok.endsWith("..");
        }
        if (!sentbreak || next == null || !periodFinal) return sentbreak;
        String type = NUMERIC.matcher(PyStr.lower(tok)).replaceAll("##number##");
        String typeNoPeriod = type.length() > 1 && type.endsWith(".") ? type.substring(0, type.length() - 1) : type;
        boolean initial = tok.codePointCount(0, tok.length()) == 2 && isInitialLetter(tok.codePointAt(0));
        if (!initial && !typeNoPeriod.equals("##number##")) return true;
        int first = next.codePointAt(0);
        boolean punctuation = next.length() == 1 && ";:,.!?".indexOf(next.charAt(0)) >= 0;
        if (punctuation || Character.isLowerCase(first)) return false; // ortho heuristic: not a sentence starter
        return !(initial && Character.isUpperCase(first));
    }

    /** {@code [^\W\d]} on str: a word character that is not a decimal digit. */
    private static boolean isInitialLetter(int cp) {
        return cp == '_' || switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.LETTER_NUMBER,
                    Character.OTHER_NUMBER -> true;
            default -> false;
        };
    }
}
