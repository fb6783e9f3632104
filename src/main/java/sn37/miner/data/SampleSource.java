package sn37.miner.data;

import java.io.IOException;
import java.util.function.BooleanSupplier;

/**
 * Where SN1 multiple-choice samples come from: a JSONL file today, W&B history or an HF dataset
 * later. Every source validates rows the same way (see {@link SampleCollector}) and reports what
 * it dropped, so a caller can tell a thin load from a broken one.
 */
public interface SampleSource {

    SampleLoad load() throws IOException;

    /** {@link #load()}, stopping early with a {@link java.util.concurrent.CancellationException} once
     * {@code cancelled} turns true, where the source can poll it; remote sources do not yet. */
    default SampleLoad load(BooleanSupplier cancelled) throws IOException {
        return load();
    }

    /**
     * How many samples a validator scores from data like this source's: what sizes fetch-data's held-out
     * evaluation split ({@link McSplit}). W&B-era data (and a local file, which stands in for it) by default.
     */
    default int validatorSamples() {
        return McSplit.WANDB_VALIDATOR_SAMPLES;
    }

    /** Short, stable name for logs and provenance, e.g. {@code jsonl:/data/sn1.jsonl}. */
    String describe();
}
