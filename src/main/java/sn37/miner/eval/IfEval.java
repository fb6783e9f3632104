package sn37.miner.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import sn37.miner.eval.ifeval.IfEvalSamples;
import sn37.miner.eval.ifeval.Rule;
import sn37.miner.eval.ifeval.SequenceMatcher;
import sn37.miner.model.LanguageModel;
import sn37.miner.model.PromptEncoder;

/**
 * The IF_EVAL task as validators score it ({@code compute_if_eval}, finetuning finetune/eval/method.py at HEAD):
 * per sample, both prompts chat-templated (not truncated: validators pass {@code max_length} without
 * {@code truncation}), greedy generation ({@link GenerationSettings#ifEval}), the new tokens decoded without
 * special tokens. Each response scores {@code 1 - (satisfied / rules)²}, counted once per rule so samples weigh by
 * their rule count; a sample that throws scores 1 for all its rules of both responses. The task's score is the mean,
 * or 1 when more than 10 % of the samples' two responses are near duplicates (difflib ratio, ignoring spaces and
 * tabs as junk, above 0.6): a model that answers every question alike is not following instructions.
 *
 * <p>One departure, as in {@link MultipleChoice}: when every sample throws, the score is +∞ rather than 1, so the
 * gate never takes a model that cannot be evaluated for a merely poor one.
 */
public final class IfEval {

    /** Two responses above this similarity are near duplicates. */
    static final double DUPLICATE_RATIO = 0.6;
    /** More than this fraction of duplicate pairs scores the task 1. */
    static final double DUPLICATE_SHARE = 0.1;
    /** Samples generated between two checks of the cancel flag. */
    private static final int CHUNK = 16;

    /** One sample's outcome: rules met per response, their similarity; {@code error} when it threw. */
    public record Pair(int index, List<String> rules, List<String> responses, int[] satisfied, double similarity,
            String error) {}

    /** All samples in order, the duplicate count, the score and the wall time. */
    public record Result(List<Pair> pairs, int duplicates, int failed, double score, double seconds) {}

    private IfEval() {}

    public static Result run(LanguageModel model, PromptEncoder encoder, List<IfEvalSamples.Sample> samples,
            EvalDtype dtype, int batchSize, BooleanSupplier cancelled, IntConsumer scored) {
        Generator generator = new Generator(model, GenerationSettings.ifEval(encoder.eosTokenId()), dtype);
        long started = System.nanoTime();
        List<Pair> pairs = new ArrayList<>(samples.size());
        for (int start = 0; start < samples.size(); start += CHUNK) {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("evaluation cancelled on request after " + start + " of "
                        + samples.size() + " IFEval samples");
            }
            int end = Math.min(start + CHUNK, samples.size());
            pairs.addAll(chunk(generator, encoder, samples, start, end, batchSize));
            scored.accept(end);
        }
        List<List<String>> responses = pairs.stream().map(Pair::responses).toList();
        List<Integer> ruleCounts = samples.stream().map(s -> s.rules().size()).toList();
        int failed = (int) pairs.stream().filter(p -> p.error() != null).count();
        int duplicates = (int) pairs.stream()
                .filter(p -> p.error() == null && p.similarity() > DUPLICATE_RATIO)
                .count();
        double score = failed > 0 && failed == pairs.size() ? Double.POSITIVE_INFINITY : score(responses, samples);
        return new Result(List.copyOf(pairs), duplicates, failed, score, (System.nanoTime() - started) / 1e9);
    }

    /**
     * The task score of the two responses per sample (null for a sample that threw): the rule-weighted mean of
     * {@code 1 - fraction²}, 1 with too many near-duplicate pairs or no samples.
     */
    public static double score(List<List<String>> responses, List<IfEvalSamples.Sample> samples) {
        List<Double> scores = new ArrayList<>();
        int duplicates = 0;
        for (int i = 0; i < samples.size(); i++) {
            List<Rule> rules = samples.get(i).rules();
            List<String> pair = responses.get(i);
            if (pair == null) {
                for (int k = 0; k < 2 * rules.size(); k++) scores.add(1.0);
                continue;
            }
            if (similarity(pair.get(0), pair.get(1)) > DUPLICATE_RATIO) duplicates++;
            for (int index = 0; index < 2; index++) {
                double ratio = (double) satisfied(rules, pair.get(index), index) / rules.size();
                double responseScore = 1 - ratio * ratio;
                for (int k = 0; k < rules.size(); k++) scores.add(responseScore);
            }
        }
        if (duplicates > samples.size() * DUPLICATE_SHARE) return 1;
        if (scores.isEmpty()) return 1;
        double sum = 0;
        for (double s : scores) sum += s;
        return sum / scores.size();
    }

    /** {@code compute_similarity_score}: difflib's ratio with spaces and tabs as junk. */
    public static double similarity(String a, String b) {
        return new SequenceMatcher(c -> c == ' ' || c == '\t', a, b).ratio();
    }

    static int satisfied(List<Rule> rules, String response, int index) {
        int n = 0;
        for (Rule rule : rules) {
            if (rule.matches(response, index)) n++;
        }
        return n;
    }

    private static List<Pair> chunk(Generator generator, PromptEncoder encoder, List<IfEvalSamples.Sample> samples,
            int from, int to, int batchSize) {
        Pair[] out = new Pair[to - from];
        List<int[]> prompts = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        for (int i = from; i < to; i++) {
            IfEvalSamples.Sample s = samples.get(i);
            try {
                int[] first = encoder.encodeChat(s.prompt1());
                int[] second = encoder.encodeChat(s.prompt2());
                prompts.add(first);
                prompts.add(second);
                slots.add(i - from);
            } catch (RuntimeException e) {
                out[i - from] = failed(i, s, e);
            }
        }
        List<Generator.Outcome> outcomes = generator.generateAll(prompts, batchSize);
        for (int k = 0; k < slots.size(); k++) {
            int i = from + slots.get(k);
            IfEvalSamples.Sample s = samples.get(i);
            try {
                String first = decode(encoder, outcomes.get(2 * k));
                String second = decode(encoder, outcomes.get(2 * k + 1));
                int[] satisfied = {satisfied(s.rules(), first, 0), satisfied(s.rules(), second, 1)};
                out[i - from] = new Pair(i, ruleNames(s), List.of(first, second), satisfied,
                        similarity(first, second), null);
            } catch (RuntimeException e) {
                out[i - from] = failed(i, s, e);
            }
        }
        return List.of(out);
    }

    private static String decode(PromptEncoder encoder, Generator.Outcome o) {
        if (o.failed()) throw o.error();
        return encoder.decode(o.tokens(), true);
    }

    private static List<String> ruleNames(IfEvalSamples.Sample s) {
        return s.rules().stream().map(r -> r.id().name()).toList();
    }

    private static Pair failed(int index, IfEvalSamples.Sample s, RuntimeException e) {
        String message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return new Pair(index, ruleNames(s), null, null, 0, message);
    }
}
