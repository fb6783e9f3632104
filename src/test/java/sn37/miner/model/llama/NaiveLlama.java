package sn37.miner.model.llama;

import java.util.HashMap;
import java.util.Map;

/**
 * A deliberately plain reference of the Llama forward pass in double precision: loops, one head at
 * a time, key/value head chosen as {@code h / groups}, rotary embedding as pairwise 2-D rotations
 * of (x[i], x[i + D/2]) by angle pos·invFreq[i]. Shares no code with {@link LlamaModel}.
 */
final class NaiveLlama {

    private final LlamaConfig config;
    private final Map<String, float[]> weights = new HashMap<>();

    NaiveLlama(LlamaModel model) {
        this.config = model.config();
        model.parameters().forEach((name, array) -> weights.put(name, array.toFloatArray()));
    }

    /** Logits [T][V] of one sequence. */
    double[][] logits(long[] ids) {
        int time = ids.length;
        int hidden = config.hiddenSize();
        double[][] x = new double[time][];
        float[] embed = weights.get("model.embed_tokens.weight");
        for (int t = 0; t < time; t++) {
            x[t] = new double[hidden];
            for (int j = 0; j < hidden; j++) {
                x[t][j] = embed[(int) ids[t] * hidden + j];
            }
        }
        for (int layer = 0; layer < config.numLayers(); layer++) {
            String p = "model.layers." + layer + ".";
            double[][] attn = attention(norm(x, p + "input_layernorm.weight"), p + "self_attn.");
            add(x, attn);
            double[][] h = norm(x, p + "post_attention_layernorm.weight");
            double[][] gate = linear(h, p + "mlp.gate_proj");
            double[][] up = linear(h, p + "mlp.up_proj");
            for (int t = 0; t < time; t++) {
                for (int j = 0; j < gate[t].length; j++) {
                    gate[t][j] = gate[t][j] / (1 + Math.exp(-gate[t][j])) * up[t][j];
                }
            }
            add(x, linear(gate, p + "mlp.down_proj"));
        }
        double[][] h = norm(x, "model.norm.weight");
        String head = config.tieWordEmbeddings() ? "model.embed_tokens" : "lm_head";
        return linear(h, head);
    }

    double[][] norm(double[][] x, String weight) {
        float[] w = weights.get(weight);
        double[][] out = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            double sum = 0;
            for (double v : x[t]) {
                sum += v * v;
            }
            double scale = 1 / Math.sqrt(sum / x[t].length + config.rmsNormEps());
            out[t] = new double[x[t].length];
            for (int j = 0; j < x[t].length; j++) {
                out[t][j] = x[t][j] * scale * w[j];
            }
        }
        return out;
    }

    private double[][] attention(double[][] h, String prefix) {
        int time = h.length;
        int dim = config.headDim();
        double[][] q = linear(h, prefix + "q_proj");
        double[][] k = linear(h, prefix + "k_proj");
        double[][] v = linear(h, prefix + "v_proj");
        float[] inv = config.rope().inverseFrequencies(dim);
        double[][] out = new double[time][config.numHeads() * dim];
        for (int head = 0; head < config.numHeads(); head++) {
            int kvHead = head / config.kvGroups();
            for (int i = 0; i < time; i++) {
                double[] qi = rotated(q[i], head * dim, dim, i, inv);
                double[] scores = new double[time];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j <= i; j++) {
                    if (config.slidingWindow() > 0 && j <= i - config.slidingWindow()) {
                        scores[j] = Double.NEGATIVE_INFINITY;
                        continue;
                    }
                    double[] kj = rotated(k[j], kvHead * dim, dim, j, inv);
                    double s = 0;
                    for (int d = 0; d < dim; d++) {
                        s += qi[d] * kj[d];
                    }
                    scores[j] = s / Math.sqrt(dim);
                    max = Math.max(max, scores[j]);
                }
                double total = 0;
                for (int j = 0; j <= i; j++) {
                    scores[j] = Math.exp(scores[j] - max);
                    total += scores[j];
                }
                for (int j = 0; j <= i; j++) {
                    for (int d = 0; d < dim; d++) {
                        out[i][head * dim + d] += scores[j] / total * v[j][kvHead * dim + d];
                    }
                }
            }
        }
        return linear(out, prefix + "o_proj");
    }

    /** Rotates each pair (x[i], x[i + D/2]) of one head by the angle pos·invFreq[i]. */
    static double[] rotated(double[] x, int offset, int dim, int pos, float[] inv) {
        double[] out = new double[dim];
        int half = dim / 2;
        for (int i = 0; i < half; i++) {
            double angle = (float) (pos * inv[i]);
            double a = x[offset + i];
            double b = x[offset + half + i];
            out[i] = a * Math.cos(angle) - b * Math.sin(angle);
            out[half + i] = b * Math.cos(angle) + a * Math.sin(angle);
        }
        return out;
    }

    private double[][] linear(double[][] x, String name) {
        float[] w = weights.get(name + ".weight");
        float[] b = weights.get(name + ".bias");
        int in = x[0].length;
        int outDim = w.length / in;
        double[][] out = new double[x.length][outDim];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < outDim; o++) {
                double s = b == null ? 0 : b[o];
                for (int i = 0; i < in; i++) {
                    s += w[o * in + i] * x[t][i];
                }
                out[t][o] = s;
            }
        }
        return out;
    }

    private static void add(double[][] x, double[][] y) {
        for (int t = 0; t < x.length; t++) {
            for (int j = 0; j < x[t].length; j++) {
                x[t][j] += y[t][j];
            }
        }
    }
}
