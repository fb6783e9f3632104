package sn37.miner.bench;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import sn37.miner.data.JsonlSampleSource;
import sn37.miner.data.McSample;
import sn37.miner.eval.EvalDtype;
import sn37.miner.eval.GenerationSettings;
import sn37.miner.eval.Generator;
import sn37.miner.eval.Prompts;
import sn37.miner.eval.TinyTransformer;
import sn37.miner.eval.WordEncoder;
import sn37.miner.model.LanguageModel;
import sn37.miner.model.llama.LlamaLanguageModel;
import sn37.miner.model.llama.LlamaWeights;
import sn37.miner.model.llama.TinyConfigs;

/**
 * Multiple-choice generation throughput on the pure-Java {@link TinyTransformer} (hidden 256, 4 layers, 4 heads,
 * SwiGLU 688, vocab 32000, the config the issue quotes transformers at ~115 new tokens/s with KV cache, one prompt
 * at a time): the evaluator's path (batches with the KV cache) against one prompt at a time without a cache (the
 * whole sequence through the model for every new token), in the same run, checking that both give the same tokens.
 * Also one prompt at a time with the cache, the way transformers' generate ran for the figure. The questions
 * are the bundled SN1 sample's 40, repeated to the count asked.
 *
 * <p>Usage: {@code EvalBench [--task multiple-choice] [--questions N] [--baseline-questions M] [--batch B]}; with
 * {@code --task reference-loss} it runs {@link ReferenceLossBench} instead. N questions on the batched path
 * (default 400). The baseline re-runs the whole ~80-token prompt for every new token, about 3 s a question here, so
 * it runs on the first M questions (default 40, every distinct one); each of the N batched answers is checked against
 * the baseline's answer to the same question. Rates are per question and per new token.
 */
public final class EvalBench {

    private EvalBench() {}

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        int task = rest.indexOf("--task");
        if (task >= 0) {
            String name = task + 1 < rest.size() ? rest.get(task + 1) : "";
            rest.subList(task, Math.min(rest.size(), task + 2)).clear();
            switch (name) {
                case "reference-loss" -> {
                    ReferenceLossBench.main(rest.toArray(String[]::new));
                    return;
                }
                case "multiple-choice" -> args = rest.toArray(String[]::new);
                default -> throw new IllegalArgumentException("--task must be multiple-choice or reference-loss (got '"
                        + name + "')");
            }
        }
        int questions = 400;
        int baselineQuestions = 40;
        int batch = 16;
        String impl = "java";
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) throw new IllegalArgumentException(args[i] + " needs a value");
            switch (args[i]) {
                case "--questions" -> questions = Integer.parseInt(value);
                case "--baseline-questions" -> baselineQuestions = Integer.parseInt(value);
                case "--batch" -> batch = Integer.parseInt(value);
                case "--model" -> impl = value;
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "': expected --questions N, --baseline-questions M, --batch B or --model java|djl");
            }
        }
        baselineQuestions = Math.min(baselineQuestions, questions);
        TinyTransformer.Config config = new TinyTransformer.Config(32_000, 256, 4, 4, 688, 37);
        // java: the pure-Java test transformer; djl: the DJL Llama (KV cache) the miner evaluates with
        LanguageModel model = switch (impl) {
            case "java" -> new TinyTransformer(config);
            case "djl" -> new LlamaLanguageModel(LlamaWeights.initialize(TinyConfigs.llamaConfig(Map.of(
                    "vocab_size", config.vocab(), "hidden_size", config.hidden(), "num_hidden_layers", config.layers(),
                    "num_attention_heads", config.heads(), "num_key_value_heads", config.heads(),
                    "intermediate_size", config.ffn(), "max_position_embeddings", 4096)), 37, Device.cpu()), null);
            default -> throw new IllegalArgumentException("--model must be java or djl (got '" + impl + "')");
        };
        WordEncoder encoder = new WordEncoder(config.vocab());
        List<McSample> sample = JsonlSampleSource.bundled().load().samples();
        List<int[]> prompts = new ArrayList<>();
        for (int i = 0; i < questions; i++) {
            prompts.add(Prompts.chat(encoder, sample.get(i % sample.size()).challenge(), 4096));
        }
        Generator generator = new Generator(model, GenerationSettings.multipleChoice(encoder.eosTokenId()),
                EvalDtype.FLOAT32);

        log("warm-up");
        generator.generateAll(prompts.subList(0, Math.min(questions, batch)), batch);
        generator.generateUncached(prompts.get(0));

        log("batched, KV cache: " + questions + " questions, batches of " + batch);
        long t0 = System.nanoTime();
        List<Generator.Outcome> batched = generator.generateAll(prompts, batch);
        double batchedSeconds = (System.nanoTime() - t0) / 1e9;
        long batchedTokens = batched.stream().mapToLong(o -> o.tokens().length).sum();

        log("one prompt at a time, KV cache: " + baselineQuestions + " questions");
        long t2 = System.nanoTime();
        List<Generator.Outcome> single = generator.generateAll(prompts.subList(0, baselineQuestions), 1);
        double singleSeconds = (System.nanoTime() - t2) / 1e9;
        long singleTokens = single.stream().mapToLong(o -> o.tokens().length).sum();

        log("one prompt at a time, no cache: " + baselineQuestions + " questions");
        long t1 = System.nanoTime();
        List<int[]> baseline = new ArrayList<>();
        long baselineTokens = 0;
        for (int i = 0; i < baselineQuestions; i++) {
            int[] tokens = generator.generateUncached(prompts.get(i));
            baseline.add(tokens);
            baselineTokens += tokens.length;
            if ((i + 1) % 10 == 0) log("  " + (i + 1) + " done");
        }
        double baselineSeconds = (System.nanoTime() - t1) / 1e9;

        int checked = 0;
        int mismatches = 0;
        for (int i = 0; i < questions; i++) {
            int first = i % sample.size();
            if (first >= baselineQuestions) continue;
            checked++;
            if (!Arrays.equals(baseline.get(first), batched.get(i).tokens())) mismatches++;
            if (i < baselineQuestions && !Arrays.equals(baseline.get(i), single.get(i).tokens())) mismatches++;
        }

        double batchedRate = questions / batchedSeconds;
        double baselineRate = baselineQuestions / baselineSeconds;
        double promptTokens = prompts.stream().mapToInt(p -> p.length).average().orElse(0);
        System.out.println(String.format(Locale.ROOT, "{\"bench\":\"eval\",\"impl\":\"%s\",\"questions\":%d,\"batch\":%d,"
                + "\"batched_questions_per_s\":%.3f,\"batched_new_tokens_per_s\":%.1f,"
                + "\"single_cached_questions_per_s\":%.3f,\"single_cached_new_tokens_per_s\":%.1f,"
                + "\"baseline_questions\":%d,\"baseline_questions_per_s\":%.4f,\"baseline_new_tokens_per_s\":%.2f,"
                + "\"speedup\":%.1f,\"identical_answers\":%s,\"answers_checked\":%d,\"mismatches\":%d,"
                + "\"mean_prompt_tokens\":%.1f,"
                + "\"model\":{\"hidden\":%d,\"layers\":%d,\"heads\":%d,\"ffn\":%d,\"vocab\":%d},\"cores\":%d}",
                impl, questions, batch, batchedRate, batchedTokens / batchedSeconds, baselineQuestions / singleSeconds,
                singleTokens / singleSeconds, baselineQuestions, baselineRate, baselineTokens / baselineSeconds,
                batchedRate / baselineRate, mismatches == 0, checked, mismatches,
                promptTokens, config.hidden(), config.layers(), config.heads(), config.ffn(), config.vocab(),
                Runtime.getRuntime().availableProcessors()));
        if (mismatches > 0) System.exit(1);
    }

    private static void log(String message) {
        System.err.println("[eval-bench] " + message);
    }
}
