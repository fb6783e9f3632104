package sn37.miner.eval.ifeval;

import java.util.List;
import java.util.Set;
import sn37.miner.eval.PythonRandom;

/**
 * finetuning's {@code interesting_keyword(text, forbidden_words)} (finetune/eval/if_eval/keywords.py): a random
 * "interesting" word of the answer text, else any word of it, else one of "answer", "question", "response"; words
 * already used by an earlier keyword rule of the sample are never picked (compared lower-cased).
 *
 * <p>Where this differs: validators call "interesting" a word longer than two characters that NLTK's averaged
 * perceptron tagger tags as a noun, verb, adjective or adverb. This miner has no tagger model, so it keeps the
 * words longer than two characters that hold a letter and are not closed-class words (determiners, pronouns,
 * prepositions, conjunctions, modals, number words: the tags validators exclude). For most answer texts the pool is
 * the same; where the tagger tags a word otherwise than this list, the pool, and so the pick and every later draw
 * of the sample, can differ.
 */
final class Keywords {

    static final List<String> FALLBACK = List.of("answer", "question", "response");

    private static final Set<String> CLOSED_CLASS = Set.of(
            // determiners, predeterminers, existential "there"
            "the", "this", "that", "these", "those", "all", "any", "each", "every", "some", "both", "either",
            "neither", "another", "such", "half", "there", "whatever", "whichever",
            // pronouns, possessives, wh-words
            "she", "her", "hers", "him", "his", "its", "they", "them", "their", "theirs", "our", "ours", "you",
            "your", "yours", "mine", "myself", "yourself", "himself", "herself", "itself", "ourselves",
            "yourselves", "themselves", "who", "whom", "whose", "what", "which", "where", "when", "why", "how",
            "one", "ones", "something", "anything", "nothing", "everything", "someone", "anyone", "everyone",
            "nobody", "somebody", "anybody", "everybody",
            // prepositions and subordinating conjunctions
            "about", "above", "across", "after", "against", "along", "amid", "among", "amongst", "around",
            "before", "behind", "below", "beneath", "beside", "besides", "between", "beyond", "but", "despite",
            "down", "during", "except", "for", "from", "inside", "into", "like", "near", "off", "onto", "out",
            "outside", "over", "past", "per", "since", "than", "through", "throughout", "till", "toward",
            "towards", "under", "underneath", "unlike", "until", "unto", "upon", "via", "with", "within",
            "without", "because", "although", "though", "while", "whereas", "whether", "unless", "once", "whilst",
            // coordinating conjunctions
            "and", "nor", "yet",
            // modals
            "can", "could", "may", "might", "must", "shall", "should", "will", "would", "cannot",
            // number words
            "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
            "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "thousand",
            "million", "billion", "trillion", "zero",
            // interjections
            "yes", "hello", "oh");

    private Keywords() {}

    static String interesting(String text, List<String> forbidden, PythonRandom random) {
        List<String> forbiddenLower = forbidden.stream().map(PyStr::lower).toList();
        List<String> words = PyStr.words(text);
        List<String> interesting = words.stream()
                .filter(w -> isInteresting(w) && !forbiddenLower.contains(PyStr.lower(w)))
                .toList();
        if (!interesting.isEmpty()) return random.choice(interesting);
        List<String> allowed = words.stream().filter(w -> !forbiddenLower.contains(PyStr.lower(w))).toList();
        return random.choice(allowed.isEmpty() ? FALLBACK : allowed);
    }

    /** Stands in for "tagged JJ*, NN*, RB* or VB*, and longer than two characters". */
    static boolean isInteresting(String word) {
        return word.codePointCount(0, word.length()) > 2 && word.codePoints().anyMatch(Character::isLetter)
                && !CLOSED_CLASS.contains(PyStr.lower(word));
    }
}
