package sn37.miner.model.llama;

import ai.djl.Device;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import sn37.miner.eval.EvalDtype;
import sn37.miner.eval.ReferenceLoss;

/**
 * One REFERENCE_LOSS sample of {@code --seq} tokens, every position after the first scored, through a tiny Llama
 * with the 100,288-token vocabulary of competition 4 ({@code Xenova/gpt-4}): hidden 64, 2 layers, 4 heads over 2 KV
 * heads, MLP 172. Meant to run alone in a child JVM, so that its peak RSS is this job's: it prints one JSON line with
 * the loss, the time and tokens/s of the measured pass, VmRSS before it and VmHWM (peak resident set, heap and native
 * memory together) after it, and the heap pools' peak use.
 *
 * <p>Usage: {@code LongSequenceProbe --seq N [--blocking bounded|unblocked]}. A 256-token pass runs first, so the
 * engine's start and the JIT are not in the measured time.
 */
public final class LongSequenceProbe {

    public static final int VOCAB = 100_288;

    private LongSequenceProbe() {}

    public static void main(String[] args) throws IOException {
        int seq = 16_384;
        LlamaLanguageModel.Blocking blocking = LlamaLanguageModel.Blocking.BOUNDED;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--seq" -> seq = Integer.parseInt(args[i + 1]);
                case "--blocking" -> blocking = args[i + 1].equals("unblocked") ? LlamaLanguageModel.Blocking.UNBLOCKED
                        : LlamaLanguageModel.Blocking.BOUNDED;
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "': expected --seq N or --blocking bounded|unblocked");
            }
        }
        LlamaConfig config = TinyConfigs.llamaConfig(Map.of("vocab_size", VOCAB, "hidden_size", 64,
                "intermediate_size", 172, "num_hidden_layers", 2, "num_attention_heads", 4, "num_key_value_heads", 2,
                "max_position_embeddings", Math.max(seq, 256)));
        try (LlamaLanguageModel model = new LlamaLanguageModel(LlamaWeights.initialize(config, 37, Device.cpu()), null,
                blocking)) {
            score(model, sample(256));
            long rssBefore = statusKib("VmRSS");
            ReferenceLoss.Sample sample = sample(seq);
            long t0 = System.nanoTime();
            double loss = score(model, sample);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long peak = statusKib("VmHWM");
            long heapPeak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) heapPeak += pool.getPeakUsage().getUsed();
            }
            System.out.println(String.format(Locale.ROOT, "{\"seq\":%d,\"blocking\":\"%s\",\"loss\":%.12f,"
                    + "\"seconds\":%.3f,\"tokens_per_s\":%.1f,\"rss_before_mb\":%.1f,\"peak_rss_mb\":%.1f,"
                    + "\"peak_heap_mb\":%.1f}", seq, blocking == LlamaLanguageModel.Blocking.UNBLOCKED ? "unblocked"
                    : "bounded", loss, seconds, seq / seconds, rssBefore / 1024.0, peak / 1024.0,
                    heapPeak / 1048576.0));
        }
    }

    /** Context: the first token; reference: the rest, so every shifted position is scored. */
    private static ReferenceLoss.Sample sample(int seq) {
        Random random = new Random(seq);
        int[] ids = new int[seq];
        for (int i = 0; i < seq; i++) ids[i] = random.nextInt(VOCAB);
        return new ReferenceLoss.Sample(new int[] {ids[0]}, java.util.Arrays.copyOfRange(ids, 1, seq));
    }

    private static double score(LlamaLanguageModel model, ReferenceLoss.Sample sample) {
        double loss = ReferenceLoss.run(model, List.of(sample), EvalDtype.FLOAT32);
        if (!Double.isFinite(loss)) throw new IllegalStateException("the loss is not finite: " + loss);
        return loss;
    }

    static long statusKib(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("\\D", ""));
        }
        throw new IOException("/proc/self/status has no " + field);
    }

    /** The command that runs this probe in a child JVM with this JVM's classpath and a {@code heap} limit. */
    public static List<String> command(String heap, int seq, String blocking) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
                "-XX:+UseSerialGC", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                LongSequenceProbe.class.getName(), "--seq", "" + seq, "--blocking", blocking));
        return command;
    }
}
