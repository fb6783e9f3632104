package sn37.miner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import sn37.miner.run.RunReport;

/** The run summary printed at the end of {@code mine} and by {@code runs show}: one line per stage. */
final class RunSummary {
    private RunSummary() {}

    static String render(RunReport r) {
        return render(r, null, null);
    }

    /**
     * With the outcome in words, where the trained model is, and (for {@code mine}) the run's folder and log.
     *
     * @param runFolder null when not known here
     * @param log null when the log went to stderr
     */
    static String render(RunReport r, Path runFolder, Path log) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("run %s  %s  %s  (attempt %d)%n", r.id(), r.kind(), r.status(), r.attempt()));
        sb.append(String.format("%-11s %-10s %8s  %s%n", "stage", "status", "seconds", "notes"));
        for (RunReport.StageView s : r.stages()) {
            sb.append(String.format("%-11s %-10s %8s  %s%n", s.stage(), s.status(),
                    s.seconds() == null ? "-" : String.format("%.2f", s.seconds()), notes(s)));
        }
        String outcome = outcome(r);
        if (outcome != null) sb.append("outcome:    ").append(outcome).append(System.lineSeparator());
        if (r.lastError() != null) sb.append("result: ").append(r.lastError()).append(System.lineSeparator());
        String model = output(r, "train").path("modelDir").asText("");
        if (!model.isEmpty()) sb.append("model:      ").append(model).append(System.lineSeparator());
        if (runFolder != null) sb.append("run folder: ").append(runFolder).append(System.lineSeparator());
        if (log != null) sb.append("log:        ").append(log).append(System.lineSeparator());
        return sb.toString();
    }

    /**
     * What became of the model: "passed, published", "passed, not published (offline)" or "rejected", so an offline
     * run that published nothing does not read like one that did. Null while running, and for failures (the result
     * line says why).
     */
    static String outcome(RunReport r) {
        JsonNode gate = output(r, "gate");
        if (r.status().equals("REJECTED")) {
            return "rejected" + (gate.hasNonNull("reason") ? ": " + gate.get("reason").asText() : "");
        }
        if (!r.status().equals("SUCCEEDED")) return null;
        if (!r.kind().equals("pipeline")) return stageStatus(r, "commit").equals("SUCCEEDED") ? "published" : null;
        if (stageStatus(r, "commit").equals("SUCCEEDED")) {
            JsonNode upload = output(r, "upload");
            JsonNode commit = output(r, "commit");
            return "passed, published" + (upload.hasNonNull("repo") ? ": " + upload.get("repo").asText()
                    + (upload.hasNonNull("commitOid") ? " at " + upload.get("commitOid").asText() : "") : "")
                    + (commit.hasNonNull("block") ? ", on chain at block " + commit.get("block").asLong() : "");
        }
        boolean offline = r.params() != null && r.params().path("offline").asBoolean(false);
        if (offline) return "passed, not published (offline)";
        String why = output(r, "upload").path("reason").asText(output(r, "commit").path("reason").asText(""));
        return "passed, not published" + (why.isEmpty() ? "" : " (" + why + ")");
    }

    /** The latest outputs of {@code stage}, or a missing node. */
    private static JsonNode output(RunReport r, String stage) {
        JsonNode found = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        if (r.stages() == null) return found;
        for (RunReport.StageView s : r.stages()) {
            if (s.stage().equals(stage) && s.outputs() != null) found = s.outputs();
        }
        return found;
    }

    private static String stageStatus(RunReport r, String stage) {
        String status = "";
        if (r.stages() == null) return status;
        for (RunReport.StageView s : r.stages()) if (s.stage().equals(stage)) status = s.status();
        return status;
    }

    /** DJL names devices cpu() and gpu(0); people say CPU and GPU 0. */
    static String device(String name) {
        if (name.equals("cpu()")) return "CPU";
        java.util.regex.Matcher gpu = java.util.regex.Pattern.compile("gpu\\((\\d+)\\)").matcher(name);
        return gpu.matches() ? "GPU " + gpu.group(1) : name;
    }

    static String notes(RunReport.StageView s) {
        if (s.error() != null) return s.error();
        JsonNode o = s.outputs();
        if (o == null) return "";
        if (o.has("reason") && o.size() == 1) return o.get("reason").asText();
        if (o.has("snapshotSha256") && o.path("evalSnapshotSha256").isTextual()) {
            return String.format("read %d rows%s; train %s, snapshot sha256 %s…; held out for evaluation %s, sha256 %s…",
                    o.path("rowsRead").asInt(), dropped(o.path("droppedByReason")), perTask(o.path("trainByTask")),
                    o.path("snapshotSha256").asText().substring(0, 12), perTask(o.path("evalByTask")),
                    o.path("evalSnapshotSha256").asText().substring(0, 12)) + fineweb(o.path("fineweb"));
        }
        if (o.has("snapshotSha256")) {
            return String.format("kept %d of %d rows%s; snapshot sha256 %s…", o.path("kept").asInt(),
                    o.path("rowsRead").asInt(), dropped(o.path("droppedByReason")),
                    o.path("snapshotSha256").asText().substring(0, 12));
        }
        if (o.has("parameterCount")) {
            return String.format("%s: %s, %,d parameters", o.path("source").asText(), o.path("architecture").asText(),
                    o.path("parameterCount").asLong());
        }
        if (o.has("stepLosses") || o.has("firstLoss")) {
            String line = String.format("%d steps, loss %.4f -> %.4f (best epoch mean %.4f), %.0f tokens/s on %s",
                    o.path("steps").asInt(), o.path("firstLoss").asDouble(), o.path("lastLoss").asDouble(),
                    o.path("bestLoss").asDouble(), o.path("tokensPerSecond").asDouble(), device(o.path("device").asText()));
            if (!o.path("trainer").asText().equals("torch")) return line;
            return line + String.format(" (torch, %s job %s: %d process%s, %d GPU%s, %s)", o.path("launcher").asText(),
                    o.path("jobId").asText(), o.path("worldSize").asInt(), o.path("worldSize").asInt() == 1 ? "" : "es",
                    o.path("gpus").asInt(), o.path("gpus").asInt() == 1 ? "" : "s", o.path("computeDtype").asText());
        }
        if (o.has("deviation") || (o.has("metric") && o.has("evaluated"))) {
            String metric = o.path("deviation").isNumber()
                    ? String.format("metric %s (MC deviation %s)", o.path("metric").asText(), o.path("deviation").asText())
                    : "metric " + o.path("metric").asText();
            return metric + tasks(o.path("tasks")) + (o.path("evaluated").asBoolean(true) ? ""
                    : "; not evaluated: " + o.path("failure").asText());
        }
        if (o.has("commitOid")) {
            return "committed " + o.path("commitOid").asText() + " to " + o.path("repo").asText();
        }
        if (o.has("block") && o.has("modelId")) {
            return "on chain at block " + o.path("block").asLong() + ": " + o.path("modelId").asText();
        }
        if (o.has("passed")) {
            return (o.get("passed").asBoolean() ? "PASSED: " : "REJECTED: ") + o.path("reason").asText();
        }
        String text = o.toString();
        return text.length() <= 100 ? text : text.substring(0, 100) + "…";
    }

    /** "; tasks: SYNTHETIC_1_SFT 2.3456 (weight 0.5, 12 samples, torch bf16), FINEWEB skipped: why". */
    static String tasks(JsonNode tasks) {
        if (tasks == null || !tasks.isArray() || tasks.isEmpty()) return "";
        StringBuilder sb = new StringBuilder("; tasks:");
        for (Iterator<JsonNode> it = tasks.elements(); it.hasNext(); ) {
            JsonNode t = it.next();
            sb.append(' ').append(t.path("name").asText());
            if (t.path("raw").isNumber()) {
                // only --eval_backend torch is named: DJL is the default, and records before backends were named
                sb.append(String.format(" %.4f (weight %s, %d samples%s)", t.path("raw").asDouble(),
                        t.path("weight").asText(), t.path("samples").asInt(),
                        t.path("backend").asText("").equals("torch") ? ", torch bf16" : ""));
            } else if (t.path("raw").isTextual() && !t.path("skipped").isTextual()) {
                // Jackson writes +∞ as "Infinity": the task was scored, and the model failed it (or a check).
                sb.append(String.format(" +inf (weight %s, %d samples)", t.path("weight").asText(),
                        t.path("samples").asInt()));
            } else {
                sb.append(" not scored (weight ").append(t.path("weight").asText()).append("): ")
                        .append(t.path("skipped").asText());
            }
            sb.append(it.hasNext() ? "," : "");
        }
        return sb.toString();
    }

    /** "; FINEWEB 6 texts (dropped: blank text 1), sha256 …", or why there are none; "" when not fetched. */
    private static String fineweb(JsonNode f) {
        if (f == null || !f.isObject()) return "";
        if (!f.path("snapshotSha256").isTextual()) return "; FINEWEB texts not drawn: " + f.path("failure").asText();
        return String.format("; FINEWEB %d texts%s, sha256 %s…", f.path("texts").asInt(), dropped(f.path(
                "droppedByReason")), f.path("snapshotSha256").asText().substring(0, 12));
    }

    private static String perTask(JsonNode byTask) {
        StringBuilder sb = new StringBuilder();
        int total = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = byTask.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            total += e.getValue().asInt();
            sb.append(e.getKey()).append(' ').append(e.getValue().asInt()).append(it.hasNext() ? ", " : "");
        }
        return total + " (" + sb + ")";
    }

    private static String dropped(JsonNode byReason) {
        if (byReason == null || byReason.isEmpty()) return "";
        StringBuilder sb = new StringBuilder(" (dropped:");
        for (Iterator<Map.Entry<String, JsonNode>> it = byReason.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            sb.append(' ').append(e.getKey()).append(' ').append(e.getValue().asInt()).append(it.hasNext() ? "," : "");
        }
        return sb.append(')').toString();
    }
}
