package sn37.miner.model.llama;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * Rotary position embedding parameters and the inverse frequencies they give, as transformers'
 * {@code modeling_rope_utils} computes them ({@code _compute_default_rope_parameters},
 * {@code _compute_linear_scaling_rope_parameters}, {@code _compute_llama3_parameters}).
 *
 * @param type {@code default}, {@code linear} or {@code llama3}
 * @param factor scaling factor (1 for default)
 * @param lowFreqFactor llama3 only
 * @param highFreqFactor llama3 only
 * @param originalMaxPositions llama3 only: {@code original_max_position_embeddings}
 */
public record Rope(double theta, String type, double factor, double lowFreqFactor, double highFreqFactor,
        double originalMaxPositions) {

    static final Set<String> TYPES = Set.of("default", "linear", "llama3");

    public static Rope unscaled(double theta) {
        return new Rope(theta, "default", 1, 0, 0, 0);
    }

    /**
     * Reads {@code rope_theta} and {@code rope_scaling} (transformers 4.x, what validators run) or
     * {@code rope_parameters} (transformers 5.x, which moved {@code rope_theta} inside it).
     */
    static Rope parse(JsonNode config, double defaultTheta) {
        JsonNode parameters = config.path("rope_parameters");
        JsonNode scaling = parameters.isObject() ? parameters : config.path("rope_scaling");
        double theta = parameters.isObject() && parameters.has("rope_theta")
                ? number(parameters, "rope_theta") : config.has("rope_theta") ? number(config, "rope_theta") : defaultTheta;
        if (!(theta > 0) || Double.isInfinite(theta)) {
            throw new UnsupportedModelException("config.json: rope_theta must be a positive number, found " + theta);
        }
        if (!scaling.isObject()) {
            if (!scaling.isMissingNode() && !scaling.isNull()) {
                throw new UnsupportedModelException("config.json: rope_scaling must be an object or null, found "
                        + scaling.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            }
            return unscaled(theta);
        }
        String type = scaling.has("rope_type") ? scaling.path("rope_type").asText()
                : scaling.path("type").asText("default");
        if (!TYPES.contains(type)) {
            throw new UnsupportedModelException("config.json: this rope type is not supported (supported: "
                    + "default, linear, llama3); use a model whose rope_scaling is one of these");
        }
        if (scaling.has("partial_rotary_factor") && number(scaling, "partial_rotary_factor") != 1.0) {
            throw new UnsupportedModelException("config.json: partial_rotary_factor "
                    + scaling.get("partial_rotary_factor") + " is not supported (only 1.0)");
        }
        return switch (type) {
            case "default" -> unscaled(theta);
            case "linear" -> new Rope(theta, type, positive(scaling, "factor"), 0, 0, 0);
            default -> {
                double low = positive(scaling, "low_freq_factor");
                double high = positive(scaling, "high_freq_factor");
                if (high <= low) {
                    throw new UnsupportedModelException("config.json: llama3 rope needs high_freq_factor > "
                            + "low_freq_factor, found " + high + " <= " + low);
                }
                yield new Rope(theta, type, positive(scaling, "factor"), low, high,
                        positive(scaling, "original_max_position_embeddings"));
            }
        };
    }

    /** {@code 1 / theta^(2i/dim)} for i in [0, dim/2), scaled as the rope type says; float32 like torch. */
    public float[] inverseFrequencies(int dim) {
        float[] inv = new float[dim / 2];
        for (int i = 0; i < inv.length; i++) {
            // torch: base ** (arange(0, dim, 2).float() / dim) in float32, then 1.0 / that.
            float exponent = (float) (2 * i) / dim;
            inv[i] = (float) (1.0 / (float) Math.pow(theta, exponent));
        }
        switch (type) {
            case "linear" -> {
                for (int i = 0; i < inv.length; i++) {
                    inv[i] = (float) (inv[i] / factor);
                }
            }
            case "llama3" -> llama3(inv);
            default -> { }
        }
        return inv;
    }

    private void llama3(float[] inv) {
        double lowWavelen = originalMaxPositions / lowFreqFactor;
        double highWavelen = originalMaxPositions / highFreqFactor;
        for (int i = 0; i < inv.length; i++) {
            double wavelen = 2 * Math.PI / inv[i];
            double scaled = wavelen > lowWavelen ? inv[i] / factor : inv[i];
            if (!(wavelen < highWavelen) && !(wavelen > lowWavelen)) {
                double smooth = (originalMaxPositions / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
                scaled = (1 - smooth) * scaled / factor + smooth * scaled;
            }
            inv[i] = (float) scaled;
        }
    }

    private static double number(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || !value.isNumber()) {
            throw new UnsupportedModelException("config.json: rope setting '" + key + "' must be a number, found "
                    + (value == null ? "none" : value.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        return value.doubleValue();
    }

    private static double positive(JsonNode node, String key) {
        double value = number(node, key);
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new UnsupportedModelException("config.json: rope setting '" + key + "' must be > 0, found " + value);
        }
        return value;
    }
}
