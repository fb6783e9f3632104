package sn37.miner.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class McSplitTest {

    private static List<McSample> questions(int n) {
        List<McSample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new McSample("[Input Question]\nquestion " + i + "?\n\nA. a\nB. b\nC. c\nD. d\n\nAnswer: ",
                    "ABCD".substring(i % 4, i % 4 + 1), "id-" + i, null, null));
        }
        return out;
    }

    private static Set<String> hashes(List<McSample> samples) {
        Set<String> out = new HashSet<>();
        samples.forEach(s -> out.add(McSplit.contentHash(s)));
        return out;
    }

    @Test
    void theSplitsAreDisjointByQuestionHashAndTogetherHoldEveryQuestion() {
        List<McSample> all = questions(40);
        McSplit split = McSplit.of(all, 7, McSplit.WANDB_VALIDATOR_SAMPLES);
        assertEquals(20, split.eval().size(), "at most half of the questions are held out");
        assertEquals(20, split.train().size());
        Set<String> held = hashes(split.eval());
        assertTrue(hashes(split.train()).stream().noneMatch(held::contains), "a held-out question is in training");
        Set<String> union = new HashSet<>(held);
        union.addAll(hashes(split.train()));
        assertEquals(hashes(all), union);
    }

    @Test
    void theEvaluationSplitIsAsLargeAsAValidatorsSampleWhenThereAreEnoughRows() {
        McSplit wandb = McSplit.of(questions(1000), 1, McSplit.WANDB_VALIDATOR_SAMPLES);
        assertEquals(400, wandb.eval().size());
        assertEquals(600, wandb.train().size());
        McSplit hf = McSplit.of(questions(2000), 1, McSplit.HF_VALIDATOR_SAMPLES);
        assertEquals(700, hf.eval().size());
    }

    @Test
    void aSmallSampleStillLeavesRowsToTrainOn() {
        McSplit one = McSplit.of(questions(1), 3, McSplit.WANDB_VALIDATOR_SAMPLES);
        assertEquals(0, one.eval().size());
        assertEquals(1, one.train().size());
        McSplit three = McSplit.of(questions(3), 3, McSplit.WANDB_VALIDATOR_SAMPLES);
        assertEquals(1, three.eval().size());
        assertEquals(2, three.train().size());
    }

    @Test
    void oneSeedGivesOneSplitWhateverTheRowOrderAndAnotherSeedAnother() {
        List<McSample> all = questions(40);
        List<McSample> shuffled = new ArrayList<>(all);
        Collections.shuffle(shuffled, new Random(5));
        McSplit a = McSplit.of(all, 11, McSplit.WANDB_VALIDATOR_SAMPLES);
        assertEquals(a, McSplit.of(all, 11, McSplit.WANDB_VALIDATOR_SAMPLES));
        assertEquals(hashes(a.eval()), hashes(McSplit.of(shuffled, 11, McSplit.WANDB_VALIDATOR_SAMPLES).eval()));
        assertNotEquals(hashes(a.eval()), hashes(McSplit.of(all, 12, McSplit.WANDB_VALIDATOR_SAMPLES).eval()));
    }

    @Test
    void aQuestionRepeatedWithAnotherAnswerStaysOnOneSideAndIsHeldOutOnce() {
        List<McSample> all = new ArrayList<>(questions(10));
        for (McSample s : questions(10)) {
            all.add(new McSample(s.challenge(), s.reference().equals("A") ? "B" : "A", s.id() + "-again", null, null));
        }
        McSplit split = McSplit.of(all, 2, McSplit.WANDB_VALIDATOR_SAMPLES);
        assertEquals(5, split.eval().size(), "half of the 10 distinct questions");
        assertEquals(5, split.repeatsDropped(), "each held-out question's second copy");
        assertEquals(10, split.train().size(), "both copies of each training question");
        Set<String> held = hashes(split.eval());
        assertFalse(hashes(split.train()).stream().anyMatch(held::contains));
    }
}
