package sn37.miner.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CrossEntropyTest {

    @Test
    void uniformLogitsCostLogOfTheVocabulary() {
        CrossEntropy ce = new CrossEntropy(EvalDtype.FLOAT32);
        ce.add(new float[8], 3);
        ce.add(new float[8], 0);
        assertEquals(Math.log(8), ce.mean(), 1e-12);
        assertEquals(2, ce.count());
    }

    @Test
    void float32IsTheMeanOfNegativeLogSoftmax() {
        float[] a = {2f, 1f, 0f};
        float[] b = {0.5f, -1f, 3f};
        CrossEntropy ce = new CrossEntropy(EvalDtype.FLOAT32);
        ce.add(a, 0);
        ce.add(b, 1);
        double la = -(2 - Math.log(Math.exp(2) + Math.exp(1) + 1));
        double lb = -(-1 - Math.log(Math.exp(0.5) + Math.exp(-1) + Math.exp(3)));
        assertEquals((la + lb) / 2, ce.mean(), 1e-12);
    }

    @Test
    void bfloat16LossIsABf16ValueAndDiffersFromFloat32() {
        float[] logits = {1.2345f, -0.777f, 0.3333f, 2.71828f};
        CrossEntropy f32 = new CrossEntropy(EvalDtype.FLOAT32);
        CrossEntropy bf16 = new CrossEntropy(EvalDtype.BFLOAT16);
        for (int t = 0; t < 4; t++) {
            f32.add(logits, t);
            bf16.add(logits, t);
        }
        float loss = (float) bf16.mean();
        assertEquals(loss, EvalDtype.roundBf16(loss), "a bf16 loss has at most 8 significant bits");
        assertNotEquals(f32.mean(), bf16.mean());
        assertEquals(f32.mean(), bf16.mean(), 0.02, "within bf16 resolution of each other");
    }

    @Test
    void anEmptyMeanIsNaN() {
        assertTrue(Double.isNaN(new CrossEntropy(EvalDtype.FLOAT32).mean()));
    }
}
