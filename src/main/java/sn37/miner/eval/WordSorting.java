package sn37.miner.eval;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The WORD_SORTING task's samples, built as finetuning's {@code WordSortingLoader} builds them
 * (finetune/datasets/generated/word_sorting_loader.py @ed975ab5): from NLTK's en-basic list (850 words of Ogden's
 * Basic English, bundled as {@code eval/en-basic}) keep the words of at least 3 letters, lower-cased, in file
 * order; then per sample {@code randint(2, 20)} words by {@code random.sample}, the challenge
 * {@code "Sort the following words alphabetically: " + " ".join(words) + ". "} and the reference
 * {@code " ".join(sorted(words))}. Python's random module seeded with the same integer gives the same samples
 * ({@link PythonRandom}); validators seed it from the sync block's hash.
 */
public final class WordSorting {

    /** One challenge and the sorted reference. */
    public record Sample(String challenge, String reference) {}

    public static final String PROMPT = "Sort the following words alphabetically: ";
    /** {@code WordSortingLoader} defaults, as the WORD_SORTING task uses them. */
    public static final int SAMPLES = 400;
    private static final int MIN_WORDS = 2;
    private static final int MAX_WORDS = 20;
    private static final int MIN_LENGTH = 3;
    private static final List<String> WORDS = load();

    private WordSorting() {}

    /** The candidate words: en-basic's words of length ≥ 3, lower-cased, in file order (832 of them). */
    public static List<String> words() {
        return WORDS;
    }

    public static List<Sample> samples(BigInteger seed, int count) {
        PythonRandom random = new PythonRandom(seed);
        List<Sample> samples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            List<String> chosen = random.sample(WORDS, random.randint(MIN_WORDS, MAX_WORDS));
            // Python sorts str by code point; these words are ASCII, where String order is the same.
            List<String> sorted = new ArrayList<>(chosen);
            sorted.sort(null);
            samples.add(new Sample(PROMPT + String.join(" ", chosen) + ". ", String.join(" ", sorted)));
        }
        return samples;
    }

    private static List<String> load() {
        try (InputStream in = WordSorting.class.getResourceAsStream("/eval/en-basic")) {
            if (in == null) {
                throw new IllegalStateException("resource eval/en-basic is missing from the classpath: rebuild the jar");
            }
            List<String> words = new ArrayList<>();
            // NLTK's WordListCorpusReader: one word a line, blank lines dropped.
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && line.length() >= MIN_LENGTH) words.add(line.toLowerCase(Locale.ROOT));
            }
            return List.copyOf(words);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource eval/en-basic", e);
        }
    }
}
