package sn37.miner.eval;

/** {@code torch.argmax} over one row of scores. */
public final class Greedy {

    private Greedy() {}

    /**
     * The index of the largest score, the first one on ties (torch documents "the indices of the first maximal
     * value"); a NaN counts as larger than everything, as torch's max reductions propagate NaN.
     */
    public static int argmax(float[] scores) {
        int best = 0;
        float max = scores[0];
        if (Float.isNaN(max)) return 0;
        for (int i = 1; i < scores.length; i++) {
            float s = scores[i];
            if (Float.isNaN(s)) return i;
            if (s > max) {
                max = s;
                best = i;
            }
        }
        return best;
    }
}
