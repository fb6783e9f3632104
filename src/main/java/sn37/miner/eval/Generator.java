package sn37.miner.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import sn37.miner.model.LanguageModel;

/**
 * Greedy generation as transformers' {@code generate(do_sample=False)} runs it for one prompt at a time, which
 * is what validators do. {@link #generateBatch} decodes several prompts together with left padding and the KV
 * cache and gives, row for row, the tokens one prompt alone gives: the repetition penalty looks only at a row's
 * own tokens (in a padded transformers batch it would also penalise the pad id), and a finished row is fed the
 * pad token and ignored. {@link #generateUncached} is the plain reference: the whole sequence through the model
 * at every step.
 */
public final class Generator {

    /** What one prompt produced: the new tokens up to and including EOS, or the failure. */
    public record Outcome(int[] tokens, RuntimeException error) {
        public boolean failed() {
            return error != null;
        }
    }

    private final LanguageModel model;
    private final GenerationSettings settings;
    private final EvalDtype dtype;
    private final int vocab;

    /** @param dtype {@link EvalDtype#BFLOAT16} rounds each step's logits to bf16 before choosing */
    public Generator(LanguageModel model, GenerationSettings settings, EvalDtype dtype) {
        this.model = model;
        this.settings = settings;
        this.dtype = dtype;
        this.vocab = model.vocabSize();
        for (int id : new int[] {settings.eosTokenId(), settings.padTokenId()}) {
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException("token id " + id + " (eos/pad) is outside the model's vocabulary of "
                        + vocab + ": the tokenizer does not belong to this model");
            }
        }
    }

    /**
     * Every prompt, in batches of up to {@code batchSize} prompts of similar length (sorted, so little padding);
     * results come back in the order of {@code prompts}. A batch that fails is retried one prompt at a time, so
     * one bad prompt fails alone.
     */
    public List<Outcome> generateAll(List<int[]> prompts, int batchSize) {
        return generateAll(prompts, batchSize, done -> {});
    }

    /** As {@link #generateAll(List, int)}, telling {@code generated} how many prompts are done after each batch. */
    public List<Outcome> generateAll(List<int[]> prompts, int batchSize, java.util.function.IntConsumer generated) {
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        Integer[] order = new Integer[prompts.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> prompts.get(i).length).reversed());
        Outcome[] out = new Outcome[prompts.size()];
        for (int start = 0; start < order.length; start += batchSize) {
            int end = Math.min(start + batchSize, order.length);
            List<int[]> batch = new ArrayList<>();
            for (int k = start; k < end; k++) batch.add(prompts.get(order[k]));
            try {
                int[][] tokens = generateBatch(batch);
                for (int k = start; k < end; k++) out[order[k]] = new Outcome(tokens[k - start], null);
            } catch (RuntimeException batchFailure) {
                for (int k = start; k < end; k++) out[order[k]] = generateAlone(prompts.get(order[k]), batchFailure);
            }
            generated.accept(end);
        }
        return List.of(out);
    }

    private Outcome generateAlone(int[] prompt, RuntimeException batchFailure) {
        try {
            return new Outcome(generateBatch(List.of(prompt))[0], null);
        } catch (RuntimeException e) {
            if (e != batchFailure) e.addSuppressed(batchFailure);
            return new Outcome(null, e);
        }
    }

    /** One batch with the KV cache: per row, the new tokens up to and including EOS. */
    public int[][] generateBatch(List<int[]> prompts) {
        int rows = prompts.size();
        int length = 0;
        for (int[] p : prompts) {
            if (p.length == 0) throw new IllegalArgumentException("an empty prompt cannot be generated from");
            length = Math.max(length, p.length);
        }
        int[][] ids = new int[rows][length];
        boolean[][] mask = new boolean[rows][length];
        Row[] state = new Row[rows];
        for (int r = 0; r < rows; r++) {
            int[] p = prompts.get(r);
            int pad = length - p.length;
            Arrays.fill(ids[r], 0, pad, settings.padTokenId());
            System.arraycopy(p, 0, ids[r], pad, p.length);
            Arrays.fill(mask[r], pad, length, true);
            state[r] = new Row(p);
        }
        try (LanguageModel.Session session = model.open(ids, mask)) {
            int[] next = new int[rows];
            for (int step = 0; ; step++) {
                float[][] logits = session.lastLogits();
                boolean allDone = true;
                for (int r = 0; r < rows; r++) {
                    if (state[r].finished) {
                        next[r] = settings.padTokenId();
                        continue;
                    }
                    next[r] = state[r].choose(logits[r], step);
                    allDone &= state[r].finished;
                }
                if (allDone || step + 1 == settings.maxNewTokens()) break;
                session.append(next);
            }
        }
        int[][] out = new int[rows][];
        for (int r = 0; r < rows; r++) out[r] = state[r].generated();
        return out;
    }

    /** One prompt, no cache: at every step the whole sequence goes through {@link LanguageModel#forward}. */
    public int[] generateUncached(int[] prompt) {
        if (prompt.length == 0) throw new IllegalArgumentException("an empty prompt cannot be generated from");
        Row row = new Row(prompt);
        int[] sequence = Arrays.copyOf(prompt, prompt.length + settings.maxNewTokens());
        int length = prompt.length;
        for (int step = 0; step < settings.maxNewTokens() && !row.finished; step++) {
            float[][] last = new float[1][];
            model.forward(Arrays.copyOf(sequence, length), length - 1, (position, logits) -> last[0] = logits.clone());
            sequence[length++] = row.choose(last[0], step);
        }
        return row.generated();
    }

    /** One row's decoding state: the ids seen so far (for the penalty) and what it generated. */
    private final class Row {
        private final boolean[] present = new boolean[vocab];
        private int[] presentIds = new int[64];
        private int presentCount;
        private final int[] generated = new int[settings.maxNewTokens()];
        private int generatedCount;
        private boolean finished;

        Row(int[] prompt) {
            for (int id : prompt) {
                if (id < 0 || id >= vocab) {
                    throw new IllegalArgumentException("prompt token id " + id + " is outside the model's vocabulary"
                            + " of " + vocab);
                }
                see(id);
            }
        }

        int choose(float[] scores, int step) {
            if (scores.length != vocab) {
                throw new IllegalStateException("the model returned " + scores.length + " logits, expected its"
                        + " vocabulary size " + vocab);
            }
            dtype.roundLogits(scores);
            if (step < settings.minNewTokens()) scores[settings.eosTokenId()] = Float.NEGATIVE_INFINITY;
            RepetitionPenalty.apply(scores, presentIds, presentCount, settings.repetitionPenalty());
            int token = Greedy.argmax(scores);
            generated[generatedCount++] = token;
            see(token);
            finished = token == settings.eosTokenId() || generatedCount == generated.length;
            return token;
        }

        private void see(int id) {
            if (present[id]) return;
            present[id] = true;
            if (presentCount == presentIds.length) presentIds = Arrays.copyOf(presentIds, presentCount * 2);
            presentIds[presentCount++] = id;
        }

        int[] generated() {
            return Arrays.copyOf(generated, generatedCount);
        }
    }
}
