package sn37.miner.stage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Decides whether the model may be published, exactly as the reference miner does: upload only if
 * {@code metric < --avg_loss_upload_threshold}, strictly, and a threshold of 0 means never
 * (neurons/miner.py @8e2b0cbb). The metric is lower-is-better: the evaluate stage's {@code metric} output,
 * or, for the gate run alone, an explicit {@code metric} parameter.
 */
public final class Gate implements Stage {

    @Override
    public String name() {
        return StageNames.GATE;
    }

    @Override
    public List<String> requires(RunParams params) {
        return params.metric() != null ? List.of() : List.of(StageNames.EVALUATE);
    }

    @Override
    public String explicitInputs() {
        return "\"metric\" (a number, lower is better)";
    }

    @Override
    public GateDecision run(StageContext ctx) {
        RunParams p = ctx.params();
        double metric;
        String source;
        if (p.metric() != null) {
            metric = p.metric();
            source = "parameter";
        } else {
            JsonNode eval = ctx.output(StageNames.EVALUATE, JsonNode.class)
                    .orElseThrow(() -> new StageException("gate needs the evaluate stage's outputs, and this run has none"));
            metric = metricOf(eval);
            source = StageNames.EVALUATE;
        }
        return decide(metric, p.avgLossUploadThreshold(), source);
    }

    /** JSON has no infinity: Jackson writes a model that could not be evaluated as the string "Infinity". */
    private static double metricOf(JsonNode eval) {
        JsonNode m = eval.get("metric");
        if (m != null && m.isNumber()) return m.asDouble();
        if (m != null && m.isTextual() && m.asText().matches("-?Infinity|NaN")) return Double.parseDouble(m.asText());
        throw new StageException("the evaluate stage's outputs have no numeric 'metric' field: " + eval);
    }

    static GateDecision decide(double metric, double threshold, String source) {
        if (threshold == 0) {
            return new GateDecision(metric, threshold, false, source,
                    "threshold is 0, which means never upload (set --avg_loss_upload_threshold above 0 to publish)");
        }
        if (Double.isNaN(metric)) {
            return new GateDecision(metric, threshold, false, source, "metric is NaN: the evaluation is not usable");
        }
        if (metric < threshold) {
            return new GateDecision(metric, threshold, true, source, "metric " + metric + " < threshold " + threshold);
        }
        return new GateDecision(metric, threshold, false, source, "metric " + metric + " >= threshold " + threshold);
    }
}
