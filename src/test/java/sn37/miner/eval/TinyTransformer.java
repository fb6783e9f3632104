package sn37.miner.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import sn37.miner.model.LanguageModel;

/**
 * A small Llama-shaped decoder in plain Java with seeded random weights (RMSNorm, RoPE, multi-head causal
 * attention with a KV cache, SwiGLU MLP, untied LM head), implementing {@link LanguageModel} with the exact
 * semantics it asks for. Every row is computed in the same order whatever the batch, so batched and unbatched
 * decoding give bit-identical logits; a batch shares each weight row across its rows, which is what makes batching
 * pay off on a CPU as on a GPU.
 */
public final class TinyTransformer implements LanguageModel {

    /** Shape of the model. */
    public record Config(int vocab, int hidden, int layers, int heads, int ffn, long seed) {}

    private final Config c;
    private final int headDim;
    private final float[] embed; // [vocab][hidden]
    private final float[][] attnNorm;
    // Projections are stored transposed, input-major: [layer][in][out].
    private final float[][] wq;
    private final float[][] wk;
    private final float[][] wv;
    private final float[][] wo; // [layer][hidden][hidden]
    private final float[][] mlpNorm;
    private final float[][] wGate;
    private final float[][] wUp; // [layer][hidden][ffn]
    private final float[][] wDown; // [layer][ffn][hidden]
    private final float[] finalNorm;
    private final float[] lmHead; // [hidden][vocab]

    public TinyTransformer(Config c) {
        this.c = c;
        this.headDim = c.hidden() / c.heads();
        SplittableRandom r = new SplittableRandom(c.seed());
        int d = c.hidden();
        embed = random(r, c.vocab() * d, 1.0f);
        attnNorm = new float[c.layers()][];
        mlpNorm = new float[c.layers()][];
        wq = new float[c.layers()][];
        wk = new float[c.layers()][];
        wv = new float[c.layers()][];
        wo = new float[c.layers()][];
        wGate = new float[c.layers()][];
        wUp = new float[c.layers()][];
        wDown = new float[c.layers()][];
        float sd = (float) (1 / Math.sqrt(d));
        float sf = (float) (1 / Math.sqrt(c.ffn()));
        for (int l = 0; l < c.layers(); l++) {
            attnNorm[l] = ones(d);
            mlpNorm[l] = ones(d);
            wq[l] = random(r, d * d, sd);
            wk[l] = random(r, d * d, sd);
            wv[l] = random(r, d * d, sd);
            wo[l] = random(r, d * d, sd);
            wGate[l] = random(r, c.ffn() * d, sd);
            wUp[l] = random(r, c.ffn() * d, sd);
            wDown[l] = random(r, d * c.ffn(), sf);
        }
        finalNorm = ones(d);
        lmHead = random(r, c.vocab() * d, sd * 4);
    }

    @Override
    public int vocabSize() {
        return c.vocab();
    }

    /** One row's KV cache: per layer, keys and values of its attended positions, in position order. */
    private final class Cache {
        final List<List<float[]>> keys = new ArrayList<>();
        final List<List<float[]>> values = new ArrayList<>();
        int nextPosition;

        Cache() {
            for (int l = 0; l < c.layers(); l++) {
                keys.add(new ArrayList<>());
                values.add(new ArrayList<>());
            }
        }
    }

    @Override
    public Session open(int[][] ids, boolean[][] mask) {
        int rows = ids.length;
        int length = ids[0].length;
        Cache[] caches = new Cache[rows];
        for (int r = 0; r < rows; r++) {
            caches[r] = new Cache();
            boolean seenReal = false;
            for (int t = 0; t < length; t++) {
                if (mask[r][t]) seenReal = true;
                else if (seenReal) throw new IllegalArgumentException("row " + r + " is not left-padded");
            }
            if (!seenReal) throw new IllegalArgumentException("row " + r + " has no real token");
        }
        float[][] last = new float[rows][];
        for (int t = 0; t < length; t++) {
            List<Integer> active = new ArrayList<>();
            for (int r = 0; r < rows; r++) if (mask[r][t]) active.add(r);
            Cache[] batch = new Cache[active.size()];
            int[] tokens = new int[active.size()];
            for (int k = 0; k < batch.length; k++) {
                batch[k] = caches[active.get(k)];
                tokens[k] = ids[active.get(k)][t];
            }
            float[][] logits = step(batch, tokens, t == length - 1);
            if (logits != null) for (int k = 0; k < batch.length; k++) last[active.get(k)] = logits[k];
        }
        return new Session() {
            float[][] current = last;

            @Override
            public int rows() {
                return rows;
            }

            @Override
            public float[][] lastLogits() {
                return current;
            }

            @Override
            public void append(int[] tokenPerRow) {
                current = step(caches, tokenPerRow, true);
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public void forward(int[] ids, int from, PositionLogits out) {
        Cache[] cache = {new Cache()};
        for (int t = 0; t < ids.length; t++) {
            float[][] logits = step(cache, new int[] {ids[t]}, t >= from);
            if (logits != null) out.accept(t, logits[0]);
        }
    }

    @Override
    public void close() {}

    /** Runs one token per row through the model, appending to each row's cache; logits only when asked. */
    private float[][] step(Cache[] caches, int[] tokens, boolean wantLogits) {
        int rows = caches.length;
        int d = c.hidden();
        float[][] h = new float[rows][];
        for (int r = 0; r < rows; r++) {
            if (tokens[r] < 0 || tokens[r] >= c.vocab()) {
                throw new IllegalArgumentException("token id " + tokens[r] + " outside the vocabulary");
            }
            h[r] = Arrays.copyOfRange(embed, tokens[r] * d, tokens[r] * d + d);
        }
        for (int l = 0; l < c.layers(); l++) {
            float[][] x = rmsNorm(h, attnNorm[l]);
            float[][] q = matmul(wq[l], d, d, x);
            float[][] k = matmul(wk[l], d, d, x);
            float[][] v = matmul(wv[l], d, d, x);
            float[][] att = new float[rows][];
            for (int r = 0; r < rows; r++) {
                int pos = caches[r].nextPosition;
                rope(q[r], pos);
                rope(k[r], pos);
                caches[r].keys.get(l).add(k[r]);
                caches[r].values.get(l).add(v[r]);
                att[r] = attend(q[r], caches[r].keys.get(l), caches[r].values.get(l));
            }
            add(h, matmul(wo[l], d, d, att));
            float[][] y = rmsNorm(h, mlpNorm[l]);
            float[][] gate = matmul(wGate[l], c.ffn(), d, y);
            float[][] up = matmul(wUp[l], c.ffn(), d, y);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < c.ffn(); j++) {
                    float g = gate[r][j];
                    gate[r][j] = g / (1 + (float) Math.exp(-g)) * up[r][j];
                }
            }
            add(h, matmul(wDown[l], d, c.ffn(), gate));
        }
        for (Cache cache : caches) cache.nextPosition++;
        return wantLogits ? matmul(lmHead, c.vocab(), d, rmsNorm(h, finalNorm)) : null;
    }

    private float[] attend(float[] q, List<float[]> keys, List<float[]> values) {
        float[] out = new float[c.hidden()];
        float scale = (float) (1 / Math.sqrt(headDim));
        float[] scores = new float[keys.size()];
        for (int head = 0; head < c.heads(); head++) {
            int o = head * headDim;
            float max = Float.NEGATIVE_INFINITY;
            for (int t = 0; t < scores.length; t++) {
                float[] k = keys.get(t);
                float s = 0;
                for (int i = 0; i < headDim; i++) s += q[o + i] * k[o + i];
                scores[t] = s * scale;
                max = Math.max(max, scores[t]);
            }
            float sum = 0;
            for (int t = 0; t < scores.length; t++) {
                scores[t] = (float) Math.exp(scores[t] - max);
                sum += scores[t];
            }
            for (int t = 0; t < scores.length; t++) {
                float w = scores[t] / sum;
                float[] v = values.get(t);
                for (int i = 0; i < headDim; i++) out[o + i] += w * v[o + i];
            }
        }
        return out;
    }

    private void rope(float[] x, int position) {
        for (int head = 0; head < c.heads(); head++) {
            int o = head * headDim;
            int half = headDim / 2;
            for (int i = 0; i < half; i++) {
                double angle = position / Math.pow(10000, 2.0 * i / headDim);
                float cos = (float) Math.cos(angle);
                float sin = (float) Math.sin(angle);
                float a = x[o + i];
                float b = x[o + i + half];
                x[o + i] = a * cos - b * sin;
                x[o + i + half] = b * cos + a * sin;
            }
        }
    }

    /**
     * ys[r] = W · xs[r], W stored transposed ([in][out]). Accumulating column by column is a loop C2 vectorises;
     * each output element sums over the inputs in the same order whatever the batch, so batching changes no bit,
     * and each slice of a weight row is loaded once for all rows.
     */
    private static float[][] matmul(float[] wT, int out, int in, float[][] xs) {
        int rows = xs.length;
        float[][] ys = new float[rows][out];
        int block = 256;
        IntStream range = IntStream.range(0, (out + block - 1) / block);
        if ((long) out * in * rows >= 1 << 18) range = range.parallel();
        range.forEach(b -> columns(wT, out, in, xs, ys, b * block, Math.min(out, b * block + block)));
        return ys;
    }

    /** Output columns [from, to) for every row; rows go four at a time so each weight is loaded once for four. */
    private static void columns(float[] wT, int out, int in, float[][] xs, float[][] ys, int from, int to) {
        int r = 0;
        for (; r + 3 < xs.length; r += 4) {
            float[] y0 = ys[r];
            float[] y1 = ys[r + 1];
            float[] y2 = ys[r + 2];
            float[] y3 = ys[r + 3];
            for (int i = 0; i < in; i++) {
                int base = i * out;
                float x0 = xs[r][i];
                float x1 = xs[r + 1][i];
                float x2 = xs[r + 2][i];
                float x3 = xs[r + 3][i];
                for (int j = from; j < to; j++) {
                    float w = wT[base + j];
                    y0[j] += x0 * w;
                    y1[j] += x1 * w;
                    y2[j] += x2 * w;
                    y3[j] += x3 * w;
                }
            }
        }
        for (; r < xs.length; r++) {
            float[] y = ys[r];
            for (int i = 0; i < in; i++) {
                int base = i * out;
                float x = xs[r][i];
                for (int j = from; j < to; j++) y[j] += x * wT[base + j];
            }
        }
    }

    private static float[][] rmsNorm(float[][] h, float[] weight) {
        float[][] out = new float[h.length][];
        for (int r = 0; r < h.length; r++) {
            float ss = 0;
            for (float v : h[r]) ss += v * v;
            float inv = (float) (1 / Math.sqrt(ss / h[r].length + 1e-5));
            out[r] = new float[h[r].length];
            for (int i = 0; i < h[r].length; i++) out[r][i] = h[r][i] * inv * weight[i];
        }
        return out;
    }

    private static void add(float[][] h, float[][] delta) {
        for (int r = 0; r < h.length; r++) for (int i = 0; i < h[r].length; i++) h[r][i] += delta[r][i];
    }

    private static float[] random(SplittableRandom r, int n, float scale) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) w[i] = (float) (r.nextGaussian() * scale);
        return w;
    }

    private static float[] ones(int n) {
        float[] w = new float[n];
        Arrays.fill(w, 1);
        return w;
    }
}
