package sn37.miner.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** REFERENCE_LOSS and TEXT_LOSS on the pure-Java model, checked against the loss computed from all its logits. */
class LossTasksTest {

    private static final TinyTransformer MODEL =
            new TinyTransformer(new TinyTransformer.Config(97, 16, 2, 2, 24, 11));

    /** Mean cross-entropy of ids[from+1 ..] from the full logits, the slow obvious way. */
    private static double expected(int[] ids, int fromPosition) {
        float[][] logits = MODEL.logits(ids);
        double sum = 0;
        int n = 0;
        for (int p = fromPosition; p < ids.length - 1; p++) {
            float[] row = logits[p];
            double max = Double.NEGATIVE_INFINITY;
            for (float x : row) max = Math.max(max, x);
            double z = 0;
            for (float x : row) z += Math.exp(x - max);
            sum += -(row[ids[p + 1]] - max - Math.log(z));
            n++;
        }
        return sum / n;
    }

    @Test
    void referenceLossScoresOnlyTheReferencePositions() {
        int[] context = {5, 9, 14, 2, 33, 71};
        int[] reference = {40, 41, 42};
        ReferenceLoss.Sample s = new ReferenceLoss.Sample(context, reference);
        int[] all = {5, 9, 14, 2, 33, 71, 40, 41, 42};
        // Positions 5, 6, 7 predict the three reference tokens.
        assertEquals(expected(all, 5), ReferenceLoss.sampleLoss(MODEL, s, EvalDtype.FLOAT32), 1e-9);
        assertEquals((expected(all, 5) + expected(new int[] {1, 2, 3}, 1)) / 2, ReferenceLoss.run(MODEL,
                List.of(s, new ReferenceLoss.Sample(new int[] {1, 2}, new int[] {3})), EvalDtype.FLOAT32), 1e-9);
    }

    @Test
    void anEmptyReferenceScoresEveryPositionAsPythonsMinusZeroSliceDoes() {
        int[] context = {5, 9, 14, 2};
        assertEquals(expected(context, 0),
                ReferenceLoss.sampleLoss(MODEL, new ReferenceLoss.Sample(context, new int[0]), EvalDtype.FLOAT32), 1e-9);
    }

    @Test
    void aFailingModelOrNoSamplesMakesTheTaskInfinite() {
        ReferenceLoss.Sample s = new ReferenceLoss.Sample(new int[] {1, 2}, new int[] {3});
        assertEquals(Double.POSITIVE_INFINITY, ReferenceLoss.run(ScriptedModel.throwing(8, "boom"), List.of(s),
                EvalDtype.FLOAT32));
        assertEquals(Double.POSITIVE_INFINITY, ReferenceLoss.run(MODEL, List.of(), EvalDtype.FLOAT32));
    }

    @Test
    void wordSortingSamplesTokenizeAsChatPromptPlusEncodedReference() {
        WordEncoder encoder = new WordEncoder(97);
        WordSorting.Sample ws = WordSorting.samples(BigInteger.ONE, 1).get(0);
        ReferenceLoss.Sample s = ReferenceLoss.tokenize(List.of(ws), encoder, 4096).get(0);
        assertTrue(Arrays.equals(encoder.encodeChat(ws.challenge()), s.context()));
        assertTrue(Arrays.equals(encoder.encode(ws.reference()), s.reference()));
        ReferenceLoss.Sample cut = ReferenceLoss.tokenize(List.of(ws), encoder, 5).get(0);
        int[] full = encoder.encodeChat(ws.challenge());
        assertTrue(Arrays.equals(Arrays.copyOfRange(full, full.length - 5, full.length), cut.context()),
                "truncation keeps the end of the prompt");
    }

    @Test
    void textLossIsTheMeanOverTextsOfTheMeanOverAllPositions() {
        int[] a = {3, 8, 8, 20, 51, 7, 9, 60, 2};
        int[] b = {90, 4, 33, 33, 12};
        assertTrue(TextLoss.reasonable(MODEL, a, b, 0, EvalDtype.FLOAT32), "this random model passes the check");
        assertEquals((expected(a, 0) + expected(b, 0)) / 2, TextLoss.run(MODEL, List.of(a, b), 0, EvalDtype.FLOAT32),
                1e-9);
    }

    @Test
    void sanityCheckFailsOnOverlappingOrRepetitiveOutputs() {
        int[] varied = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
        int[] other = {21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40};
        int[] halfSame = other.clone();
        System.arraycopy(varied, 0, halfSame, 0, 10);
        int[] repetitive = new int[20];
        Arrays.fill(repetitive, 0, 11, 5);
        int[] repetitive2 = repetitive.clone();
        for (int i = 11; i < 20; i++) {
            repetitive[i] = 40 + i;
            repetitive2[i] = 60 + i;
        }
        repetitive2[0] = 6;
        repetitive2[1] = 6;
        repetitive2[2] = 7;
        Arrays.fill(repetitive2, 3, 14, 9);
        assertTrue(TextLoss.reasonable(varied, other));
        assertFalse(TextLoss.reasonable(varied, halfSame), "10 equal positions fail");
        assertTrue(TextLoss.reasonable(varied, repetitive), "one repetitive output alone passes");
        assertFalse(TextLoss.reasonable(repetitive, repetitive2), "both dominated by one token fail");
    }

    @Test
    void textLossIsInfiniteWhenTheModelRepeatsItself() {
        // Always the same token: the two outputs agree everywhere.
        ScriptedModel parrot = ScriptedModel.emitting(16, 7);
        assertEquals(Double.POSITIVE_INFINITY, TextLoss.run(parrot, List.of(new int[] {1, 2}, new int[] {3, 4}), 0,
                EvalDtype.FLOAT32));
        assertEquals(Double.POSITIVE_INFINITY, TextLoss.run(MODEL, List.of(new int[] {1, 2}), 0, EvalDtype.FLOAT32),
                "two texts are needed for the check");
    }

    @Test
    void finewebTextsKeepTheirLastSequenceLengthTokensAndEndWithEos() {
        WordEncoder encoder = new WordEncoder(97);
        int[] whole = encoder.encode("one two three four five");
        List<int[]> texts = TextLoss.tokenize(List.of("one two three four five", "six"), encoder, 3);

        int[] expected = Arrays.copyOf(Arrays.copyOfRange(whole, whole.length - 3, whole.length), 4);
        expected[3] = WordEncoder.EOS;
        assertEquals(Arrays.toString(expected), Arrays.toString(texts.get(0)), "left-truncated, then EOS");
        int[] six = encoder.encode("six");
        assertEquals(Arrays.toString(new int[] {six[0], WordEncoder.EOS}), Arrays.toString(texts.get(1)),
                "a short text is not padded");
    }
}
