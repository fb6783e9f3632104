package sn37.miner.eval;

import sn37.miner.model.LanguageModel;
/**
 * A {@link LanguageModel} whose logits are given: at generation step k every row gets {@code script[k]} (the last
 * row repeats), whatever the prompt; {@link #forward} gives {@code script[0]} at every position. Optionally throws
 * on every call, to stand for a model that cannot be evaluated.
 */
final class ScriptedModel implements LanguageModel {

    private final float[][] script;
    private final RuntimeException failure;

    ScriptedModel(float[]... script) {
        this(null, script);
    }

    private ScriptedModel(RuntimeException failure, float[][] script) {
        this.script = script;
        this.failure = failure;
    }

    /** A model with {@code vocab} logits that throws on every use. */
    static ScriptedModel throwing(int vocab, String message) {
        return new ScriptedModel(new IllegalStateException(message), new float[][] {new float[vocab]});
    }

    /** Logits that make {@code token} the clear argmax at each step, one step per token. */
    static ScriptedModel emitting(int vocab, int... tokens) {
        float[][] script = new float[tokens.length][];
        for (int k = 0; k < tokens.length; k++) {
            script[k] = new float[vocab];
            script[k][tokens[k]] = 10;
        }
        return new ScriptedModel(script);
    }

    @Override
    public int vocabSize() {
        return script[0].length;
    }

    @Override
    public Session open(int[][] ids, boolean[][] mask) {
        if (failure != null) throw failure;
        int rows = ids.length;
        return new Session() {
            int step;

            @Override
            public int rows() {
                return rows;
            }

            @Override
            public float[][] lastLogits() {
                float[][] out = new float[rows][];
                for (int r = 0; r < rows; r++) out[r] = script[Math.min(step, script.length - 1)].clone();
                return out;
            }

            @Override
            public void append(int[] tokenPerRow) {
                step++;
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public void forward(int[] ids, int from, PositionLogits out) {
        if (failure != null) throw failure;
        for (int t = from; t < ids.length; t++) out.accept(t, script[0].clone());
    }

    @Override
    public void close() {}
}
