package sn37.miner.model.llama;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalDouble;
import sn37.miner.model.LanguageModel;

/**
 * The evaluator's {@link LanguageModel} on a {@link LlamaModel}: batched incremental decoding over
 * left-padded rows with a {@link KvCache}, and bounded-memory full-sequence passes for the loss tasks.
 * Float32 arithmetic on the stored weights (DJL cannot compute in bfloat16), so a bf16 model's
 * logits are close to, not bit-equal with, what a bf16 transformers forward pass gives.
 *
 * <p>A full-sequence pass ({@link #forward}, {@link #float32NextTokenLoss}) runs attention in query blocks
 * ({@link BlockedForward}) and the LM head on {@link #logitRows} positions at a time, so a 16k-token
 * sample never holds [heads, T, T] scores or [T, vocab] logits: with {@link Blocking#BOUNDED}, the
 * transient memory beyond the [T, hidden] activations is at most 2 × {@link BlockedForward#scoreBytes}
 * of attention scores and probabilities per layer (16 MiB each on a CPU, 1 GiB on a GPU) and as much
 * again of logits and log-probabilities.
 */
public final class LlamaLanguageModel implements LanguageModel {

    /** Bound on one chunk of [positions, vocab] logits, bytes; as {@link BlockedForward#scoreBytes}, for the same reasons. */
    static long logitBytes(Device device) {
        return BlockedForward.scoreBytes(device);
    }

    /**
     * How a full-sequence pass splits its work: queries per attention block and positions per LM-head call,
     * 0 for the sizes that keep each within {@link BlockedForward#scoreBytes}. {@link #UNBLOCKED} is one block and one LM-head call, the
     * plain computation (for comparisons only: it holds [heads, T, T] and [T, vocab]).
     */
    public record Blocking(int queryBlock, int logitRows) {
        public static final Blocking BOUNDED = new Blocking(0, 0);
        public static final Blocking UNBLOCKED = new Blocking(Integer.MAX_VALUE, Integer.MAX_VALUE);

        public Blocking {
            if (queryBlock < 0 || logitRows < 0) {
                throw new IllegalArgumentException("query block and logit rows must be 0 (automatic) or positive, got "
                        + queryBlock + " and " + logitRows);
            }
        }
    }

    private final LlamaModel model;
    private final AutoCloseable alsoClose;
    private final Blocking blocking;

    /** @param alsoClose closed with the model (its tokenizer, say); may be null */
    public LlamaLanguageModel(LlamaModel model, AutoCloseable alsoClose) {
        this(model, alsoClose, Blocking.BOUNDED);
    }

    public LlamaLanguageModel(LlamaModel model, AutoCloseable alsoClose, Blocking blocking) {
        this.model = model;
        this.alsoClose = alsoClose;
        this.blocking = blocking;
    }

    /** Loads a model directory onto {@code device} (see {@link ComputeDevice#of}). */
    public static LlamaLanguageModel load(Path dir, Device device, AutoCloseable alsoClose) throws IOException {
        return new LlamaLanguageModel(LlamaWeights.load(dir, device), alsoClose);
    }

    @Override
    public int vocabSize() {
        return model.config().vocabSize();
    }

    @Override
    public Session open(int[][] leftPaddedIds, boolean[][] attentionMask) {
        int rows = leftPaddedIds.length;
        int length = leftPaddedIds[0].length;
        long[] ids = new long[rows * length];
        long[][] positions = new long[rows][length];
        long[] next = new long[rows];
        for (int r = 0; r < rows; r++) {
            if (leftPaddedIds[r].length != length || attentionMask[r].length != length) {
                throw new IllegalArgumentException("row " + r + " has another length than row 0 (" + length + ")");
            }
            long seen = 0;
            for (int t = 0; t < length; t++) {
                ids[r * length + t] = leftPaddedIds[r][t];
                // transformers: position_ids = attention_mask.cumsum(-1) - 1, masked_fill(mask == 0, 1).
                positions[r][t] = attentionMask[r][t] ? seen++ : 1;
            }
            next[r] = seen;
        }
        KvCache cache = model.newCache();
        try {
            DecodeSession session = new DecodeSession(cache, next);
            session.run(ids, length, positions, attentionMask);
            return session;
        } catch (RuntimeException e) {
            cache.close();
            throw e;
        }
    }

    @Override
    public void forward(int[] ids, int from, PositionLogits out) {
        int vocab = vocabSize();
        int rows = logitRows(ids.length);
        try (NoGrad ignored = NoGrad.enter(); NDManager scope = model.manager().newSubManager()) {
            NDArray hidden = hidden(scope, ids);
            float[] row = new float[vocab];
            for (int start = from; start < ids.length; start += rows) {
                int end = Math.min(ids.length, start + rows);
                try (NDManager chunk = scope.newSubManager()) {
                    float[] logits = model.logits(hidden.get(chunk, new NDIndex(start + ":" + end))).toFloatArray();
                    for (int t = start; t < end; t++) {
                        System.arraycopy(logits, (t - start) * vocab, row, 0, vocab);
                        out.accept(t, row);
                    }
                }
            }
        }
    }

    /**
     * {@code log_softmax} and the target's gather on the device, {@link #logitRows} positions at a time, as
     * {@code CrossEntropyLoss} computes them in float32 (the sum over positions in double); only one float per
     * position comes back. Bfloat16 needs the evaluator's rounding, so it takes the logits row by row instead.
     */
    @Override
    public OptionalDouble float32NextTokenLoss(int[] ids, int from) {
        int length = ids.length - 1;
        if (from >= length) return OptionalDouble.of(Double.NaN);
        int vocab = vocabSize();
        int rows = logitRows(length);
        double sum = 0;
        try (NoGrad ignored = NoGrad.enter(); NDManager scope = model.manager().newSubManager()) {
            NDArray hidden = hidden(scope, java.util.Arrays.copyOf(ids, length));
            for (int start = from; start < length; start += rows) {
                int end = Math.min(length, start + rows);
                long[] targets = new long[end - start];
                for (int t = start; t < end; t++) {
                    if (ids[t + 1] < 0 || ids[t + 1] >= vocab) {
                        throw new IllegalArgumentException("target id " + ids[t + 1] + " at position " + (t + 1)
                                + " is outside the " + vocab + " logits");
                    }
                    targets[t - start] = ids[t + 1];
                }
                try (NDManager chunk = scope.newSubManager()) {
                    NDArray logits = model.logits(hidden.get(chunk, new NDIndex(start + ":" + end)));
                    NDArray logProbs = logits.logSoftmax(-1);
                    logits.close();
                    // this toFloatArray is a device→host sync, one float per position
                    float[] picked = logProbs.gather(chunk.create(targets, new Shape(targets.length, 1)), 1)
                            .toFloatArray();
                    for (float p : picked) sum -= p;
                }
            }
        }
        return OptionalDouble.of(sum / (length - from));
    }

    /** Positions per LM-head call for a {@code length}-token pass. */
    int logitRows(int length) {
        long rows = blocking.logitRows() > 0 ? blocking.logitRows()
                : logitBytes(model.device()) / ((long) vocabSize() * Float.BYTES);
        return (int) Math.max(1, Math.min(Math.max(1, length), rows));
    }

    /** Final hidden states [T, hidden] of one sequence, on {@code scope}. */
    private NDArray hidden(NDManager scope, int[] ids) {
        long[] longIds = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            longIds[i] = ids[i];
        }
        int block = blocking.queryBlock() > 0 ? blocking.queryBlock()
                : BlockedForward.queryBlock(model.config(), ids.length, model.device());
        return BlockedForward.hidden(model, scope, longIds, block);
    }

    @Override
    public void close() {
        model.close();
        if (alsoClose != null) {
            try {
                alsoClose.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + alsoClose + " failed: " + e.getMessage(), e);
            }
        }
    }

    /** Rows being decoded: the cache, each row's next position and the newest logits. */
    private final class DecodeSession implements Session {
        private final KvCache cache;
        private final long[] next;
        private float[][] last;

        DecodeSession(KvCache cache, long[] next) {
            this.cache = cache;
            this.next = next;
        }

        void run(long[] ids, int length, long[][] positions, boolean[][] attended) {
            int rows = next.length;
            int vocab = vocabSize();
            try (NoGrad ignored = NoGrad.enter(); NDManager scope = model.manager().newSubManager()) {
                NDArray hidden = model.hidden(scope.create(ids, new Shape(rows, length)), positions, attended, cache);
                float[] logits = model.logits(hidden.get(new NDIndex(":, -1"))).toFloatArray();
                last = new float[rows][vocab];
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(logits, r * vocab, last[r], 0, vocab);
                }
            }
        }

        @Override
        public int rows() {
            return next.length;
        }

        @Override
        public float[][] lastLogits() {
            return last;
        }

        @Override
        public void append(int[] tokenPerRow) {
            int rows = next.length;
            long[] ids = new long[rows];
            long[][] positions = new long[rows][1];
            boolean[][] attended = new boolean[rows][1];
            for (int r = 0; r < rows; r++) {
                ids[r] = tokenPerRow[r];
                positions[r][0] = next[r]++;
                attended[r][0] = true;
            }
            run(ids, 1, positions, attended);
        }

        @Override
        public void close() {
            cache.close();
        }
    }
}
