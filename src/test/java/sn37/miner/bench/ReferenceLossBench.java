package sn37.miner.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import sn37.miner.model.llama.LongSequenceProbe;

/**
 * REFERENCE_LOSS on one long sample, bounded against unblocked: tokens/s and peak RSS of a tiny Llama (hidden 64,
 * 2 layers, 4 heads over 2 KV heads) with competition 4's 100,288-token vocabulary, every position scored. Each
 * configuration runs in a child JVM of its own ({@link LongSequenceProbe}, heap capped at 512 MiB), whose VmHWM is its
 * peak RSS, heap and native memory together.
 *
 * <p>The bounded pass (attention in query blocks, cross-entropy in position chunks) runs at {@code --seq}. The
 * unblocked pass (one attention block, one LM-head call: [heads, T, T] scores and [T, vocab] logits) runs at
 * {@code --start-seq}, then doubling, up to {@code --seq}; it stops before a length whose predicted peak
 * ({@link #predictedPeak}) passes {@code --cap-mb}, or at the first failure. The
 * bounded pass then runs again at the longest unblocked length, for a same-length comparison of speed, memory and
 * loss.
 *
 * <p>Usage: {@code bench/eval --task reference-loss [--seq N] [--start-seq M] [--cap-mb C]} (defaults 16384, 1024,
 * 6144).
 */
public final class ReferenceLossBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The goal: under 2 GB at 16,000 tokens, where transformers (SDPA, fp32) peaks at 11.8 GB. */
    private static final double GOAL_MB = 2000;

    private ReferenceLossBench() {}

    public static void main(String[] args) throws Exception {
        int seq = 16_384;
        int startSeq = 1024;
        double capMb = 6144;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) throw new IllegalArgumentException(args[i] + " needs a value");
            switch (args[i]) {
                case "--task" -> { }
                case "--seq" -> seq = Integer.parseInt(value);
                case "--start-seq" -> startSeq = Integer.parseInt(value);
                case "--cap-mb" -> capMb = Double.parseDouble(value);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "': expected --seq N, --start-seq M or --cap-mb C");
            }
        }
        log("bounded, " + seq + " tokens");
        JsonNode bounded = probe(seq, "bounded");
        if (bounded == null) throw new IllegalStateException("the bounded pass at " + seq + " tokens failed");

        ArrayNode unblockedRuns = JSON.createArrayNode();
        JsonNode longest = null;
        String stopped = "reached --seq";
        for (int length = Math.min(startSeq, seq); ; length = Math.min(seq, length * 2)) {
            if (longest != null) {
                double predicted = predictedPeak(unblockedRuns, length);
                if (predicted > capMb) {
                    stopped = String.format("%d tokens would peak near %.0f MB, over --cap-mb %.0f", length, predicted,
                            capMb);
                    break;
                }
            }
            log("unblocked, " + length + " tokens");
            JsonNode run = probe(length, "unblocked");
            if (run == null) {
                stopped = length + " tokens failed";
                break;
            }
            unblockedRuns.add(run);
            longest = run;
            if (length == seq) break;
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("bench", "eval");
        out.put("task", "reference-loss");
        out.put("seq", seq);
        out.set("bounded", summary(bounded));
        out.put("goal_peak_rss_mb", GOAL_MB);
        out.put("bounded_within_goal", bounded.get("peak_rss_mb").asDouble() < GOAL_MB);
        ObjectNode unblocked = out.putObject("unblocked");
        unblocked.put("longest_seq", longest == null ? 0 : longest.get("seq").asInt());
        unblocked.put("stopped", stopped);
        unblocked.set("runs", summaries(unblockedRuns));
        if (longest != null) {
            int length = longest.get("seq").asInt();
            log("bounded, " + length + " tokens (same length as the longest unblocked pass)");
            JsonNode same = length == seq ? bounded : probe(length, "bounded");
            if (same != null) {
                ObjectNode compare = out.putObject("same_length");
                compare.put("seq", length);
                compare.put("bounded_tokens_per_s", same.get("tokens_per_s").asDouble());
                compare.put("unblocked_tokens_per_s", longest.get("tokens_per_s").asDouble());
                compare.put("bounded_peak_rss_mb", same.get("peak_rss_mb").asDouble());
                compare.put("unblocked_peak_rss_mb", longest.get("peak_rss_mb").asDouble());
                compare.put("loss_difference", Math.abs(same.get("loss").asDouble() - longest.get("loss").asDouble()));
            }
        }
        ObjectNode model = out.putObject("model");
        model.put("hidden", 64);
        model.put("layers", 2);
        model.put("heads", 4);
        model.put("kv_heads", 2);
        model.put("intermediate", 172);
        model.put("vocab", LongSequenceProbe.VOCAB);
        out.put("cores", Runtime.getRuntime().availableProcessors());
        System.out.println(JSON.writeValueAsString(out));
    }

    /**
     * The peak RSS an unblocked pass of {@code length} tokens should reach: its growth over the resident set before
     * the pass is a·L + b·L² (logits grow linearly, attention scores quadratically), fitted to the last two runs;
     * after one run, all of the growth is taken as quadratic, which over-estimates.
     */
    static double predictedPeak(ArrayNode runs, int length) {
        JsonNode last = runs.get(runs.size() - 1);
        double before = last.get("rss_before_mb").asDouble();
        double l2 = last.get("seq").asDouble();
        double g2 = last.get("peak_rss_mb").asDouble() - before;
        if (runs.size() < 2) return before + g2 * (length / l2) * (length / l2);
        JsonNode previous = runs.get(runs.size() - 2);
        double l1 = previous.get("seq").asDouble();
        double g1 = previous.get("peak_rss_mb").asDouble() - previous.get("rss_before_mb").asDouble();
        double b = Math.max(0, (g2 / l2 - g1 / l1) / (l2 - l1));
        double a = Math.max(0, g2 / l2 - b * l2);
        return before + a * length + b * length * (double) length;
    }

    /** One child JVM's result line, or null when it failed (killed for memory, say). */
    private static JsonNode probe(int seq, String blocking) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(LongSequenceProbe.command("512m", seq, blocking));
        builder.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        Process child = builder.redirectError(ProcessBuilder.Redirect.INHERIT).start();
        child.getOutputStream().close();
        String text = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!child.waitFor(30, TimeUnit.MINUTES)) {
            child.destroyForcibly();
            return null;
        }
        if (child.exitValue() != 0 || text.isEmpty()) {
            log(blocking + " at " + seq + " tokens exited with " + child.exitValue());
            return null;
        }
        JsonNode result = JSON.readTree(text.substring(text.lastIndexOf('\n') + 1));
        log(result.toString());
        return result;
    }

    private static ObjectNode summary(JsonNode run) {
        ObjectNode s = JSON.createObjectNode();
        s.put("seq", run.get("seq").asInt());
        s.put("tokens_per_s", run.get("tokens_per_s").asDouble());
        s.put("peak_rss_mb", run.get("peak_rss_mb").asDouble());
        s.put("rss_before_pass_mb", run.get("rss_before_mb").asDouble());
        s.put("peak_heap_mb", run.get("peak_heap_mb").asDouble());
        s.put("loss", run.get("loss").asDouble());
        return s;
    }

    private static ArrayNode summaries(ArrayNode runs) {
        ArrayNode out = JSON.createArrayNode();
        runs.forEach(run -> out.add(summary(run)));
        return out;
    }

    private static void log(String message) {
        System.err.println("[eval-bench] " + message);
    }
}
