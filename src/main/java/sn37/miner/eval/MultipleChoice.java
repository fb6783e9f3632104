package sn37.miner.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import sn37.miner.data.McSample;
import sn37.miner.model.LanguageModel;
import sn37.miner.model.PromptEncoder;

/**
 * The MULTIPLE_CHOICE task (SYNTHETIC_MMLU) as validators score it ({@code compute_multiple_choice_deviation},
 * finetune/validation.py @8e2b0cbb): per question, the chat-templated challenge left-truncated to the sequence
 * length, greedy generation ({@link GenerationSettings#multipleChoice}), the new tokens decoded without special
 * tokens, and {@link McAnswer}; correct iff the answer equals the reference. The deviation is the fraction wrong,
 * an exception on a question counting as wrong, and 1 when there are no questions (as validators return).
 *
 * <p>One departure, on purpose: when every question throws, the deviation is +∞ rather than 1. Such a model
 * cannot be evaluated at all, and the gate must never mistake it for a merely poor one.
 */
public final class MultipleChoice {

    /** One question's outcome; {@code answer} is null when the reply names no letter, {@code error} when it threw. */
    public record Question(
            int index, String id, String reference, int promptTokens, String generated, String answer,
            boolean correct, String error) {}

    /** All questions, in sample order, and the wall time they took. */
    public record Result(List<Question> questions, int correct, int failed, double deviation, double seconds) {}

    /** Questions generated between two checks of the cancel flag. */
    private static final int CHUNK = 32;

    private MultipleChoice() {}

    public static Result run(LanguageModel model, PromptEncoder encoder, List<McSample> samples, int sequenceLength,
            EvalDtype dtype, int batchSize, BooleanSupplier cancelled) {
        return run(model, encoder, samples, sequenceLength, dtype, batchSize, cancelled, done -> {});
    }

    /** As above, telling {@code answered} how many questions are done after each generation batch. */
    public static Result run(LanguageModel model, PromptEncoder encoder, List<McSample> samples, int sequenceLength,
            EvalDtype dtype, int batchSize, BooleanSupplier cancelled, IntConsumer answered) {
        Generator generator = new Generator(model, GenerationSettings.multipleChoice(encoder.eosTokenId()), dtype);
        long started = System.nanoTime();
        List<Question> questions = new ArrayList<>(samples.size());
        for (int start = 0; start < samples.size(); start += CHUNK) {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("evaluation cancelled on request after " + start + " of "
                        + samples.size() + " questions");
            }
            int from = start;
            questions.addAll(chunk(generator, encoder, samples, start, Math.min(start + CHUNK, samples.size()),
                    sequenceLength, batchSize, done -> answered.accept(from + done)));
        }
        int correct = (int) questions.stream().filter(Question::correct).count();
        int failed = (int) questions.stream().filter(q -> q.error() != null).count();
        double deviation;
        if (questions.isEmpty()) {
            deviation = 1.0;
        } else if (failed == questions.size()) {
            deviation = Double.POSITIVE_INFINITY;
        } else {
            deviation = (double) (questions.size() - correct) / questions.size();
        }
        return new Result(List.copyOf(questions), correct, failed, deviation, (System.nanoTime() - started) / 1e9);
    }

    private static List<Question> chunk(Generator generator, PromptEncoder encoder, List<McSample> samples, int from,
            int to, int sequenceLength, int batchSize, IntConsumer answered) {
        Question[] out = new Question[to - from];
        List<int[]> prompts = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        for (int i = from; i < to; i++) {
            McSample s = samples.get(i);
            try {
                prompts.add(Prompts.chat(encoder, s.challenge(), sequenceLength));
                slots.add(i - from);
            } catch (RuntimeException e) {
                out[i - from] = failed(i, s, 0, e);
            }
        }
        // a prompt that could not be encoded is done too: counted with the batch after it
        int unencoded = (to - from) - prompts.size();
        List<Generator.Outcome> outcomes = generator.generateAll(prompts, batchSize, n -> answered.accept(unencoded + n));
        for (int k = 0; k < outcomes.size(); k++) {
            int i = from + slots.get(k);
            McSample s = samples.get(i);
            Generator.Outcome o = outcomes.get(k);
            int promptTokens = prompts.get(k).length;
            if (o.failed()) {
                out[i - from] = failed(i, s, promptTokens, o.error());
                continue;
            }
            try {
                String text = encoder.decode(o.tokens(), true);
                Optional<String> answer = McAnswer.parse(text);
                out[i - from] = new Question(i, s.id(), s.reference(), promptTokens, text, answer.orElse(null),
                        answer.isPresent() && answer.get().equals(s.reference()), null);
            } catch (RuntimeException e) {
                out[i - from] = failed(i, s, promptTokens, e);
            }
        }
        return List.of(out);
    }

    private static Question failed(int index, McSample s, int promptTokens, RuntimeException e) {
        String message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return new Question(index, s.id(), s.reference(), promptTokens, null, null, false, message);
    }
}
