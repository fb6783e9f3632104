package sn37.miner.model.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Keys and values of the positions a {@link LlamaModel} has already seen, per layer, for
 * incremental decoding (transformers' {@code DynamicCache}): each step runs only the new tokens and
 * attends to everything cached. Keys are stored after the rotary embedding, [B, KV, 1, T, D], on
 * the cache's own manager; closing the cache frees them.
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private boolean[][] attended;

    KvCache(NDManager manager, int layers) {
        this.manager = manager;
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** Positions cached so far (padding included). */
    public int length() {
        return attended == null ? 0 : attended[0].length;
    }

    /** Whether each cached position may be attended to, per row: false for padding. */
    boolean[][] attendedWith(boolean[][] added) {
        int past = length();
        boolean[][] all = new boolean[added.length][];
        for (int row = 0; row < added.length; row++) {
            all[row] = new boolean[past + added[row].length];
            if (past > 0) {
                System.arraycopy(attended[row], 0, all[row], 0, past);
            }
            System.arraycopy(added[row], 0, all[row], past, added[row].length);
        }
        return all;
    }

    void commit(boolean[][] all) {
        attended = all;
    }

    /** Appends one layer's new keys and values and returns the whole sequence's. */
    NDArray[] extend(int layer, NDArray k, NDArray v) {
        if (keys[layer] == null) {
            // Moved, not copied: the step's scope no longer owns them.
            k.attach(manager);
            v.attach(manager);
            keys[layer] = k;
            values[layer] = v;
        } else {
            NDArray oldKeys = keys[layer];
            NDArray oldValues = values[layer];
            keys[layer] = oldKeys.concat(k, 3);
            values[layer] = oldValues.concat(v, 3);
            oldKeys.close();
            oldValues.close();
        }
        return new NDArray[] {keys[layer], values[layer]};
    }

    @Override
    public void close() {
        manager.close();
    }
}
