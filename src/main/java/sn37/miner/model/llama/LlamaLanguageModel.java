package sn37.miner.model.llama;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import sn37.miner.model.LanguageModel;

/**
 * The evaluator's {@link LanguageModel} on a {@link LlamaModel}: batched incremental decoding over
 * left-padded rows with a {@link KvCache}, and chunked full-sequence logits for the loss tasks.
 * Float32 arithmetic on the stored weights (DJL cannot compute in bfloat16), so a bf16 model's
 * logits are close to, not bit-equal with, what a bf16 transformers forward pass gives.
 */
public final class LlamaLanguageModel implements LanguageModel {

    /** Positions per LM-head call in {@link #forward}: bounds the [positions, vocab] logits held at once. */
    static final int CHUNK = 256;

    private final LlamaModel model;
    private final AutoCloseable alsoClose;

    /** @param alsoClose closed with the model (its tokenizer, say); may be null */
    public LlamaLanguageModel(LlamaModel model, AutoCloseable alsoClose) {
        this.model = model;
        this.alsoClose = alsoClose;
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
        long[] longIds = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            longIds[i] = ids[i];
        }
        int vocab = vocabSize();
        try (NoGrad ignored = NoGrad.enter(); NDManager scope = model.manager().newSubManager()) {
            NDArray hidden = model.hidden(scope.create(longIds, new Shape(1, ids.length)))
                    .reshape(ids.length, model.config().hiddenSize());
            float[] row = new float[vocab];
            for (int start = from; start < ids.length; start += CHUNK) {
                int end = Math.min(ids.length, start + CHUNK);
                try (NDManager chunk = scope.newSubManager()) {
                    NDArray part = hidden.get(new NDIndex(start + ":" + end));
                    part.attach(chunk);
                    float[] logits = model.logits(part).toFloatArray();
                    for (int t = start; t < end; t++) {
                        System.arraycopy(logits, (t - start) * vocab, row, 0, vocab);
                        out.accept(t, row);
                    }
                }
            }
        }
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
