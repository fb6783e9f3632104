package sn37.miner.run;

import java.util.List;
import java.util.Optional;

/** A stage's external effects kept in the run store: what the runner gives every stage. */
public record StoreEffects(RunStore store, String runId, String stage) implements EffectRecords {
    @Override
    public ExternalEffect intend(String effectKey, String requestJson) {
        return store.intendEffect(effectKey, runId, stage, requestJson);
    }

    @Override
    public void confirm(String effectKey, String responseJson) {
        store.confirmEffect(effectKey, responseJson);
    }

    @Override
    public void markAbsent(String effectKey) {
        store.markEffectAbsent(effectKey);
    }

    @Override
    public Optional<ExternalEffect> find(String effectKey) {
        return store.findEffect(effectKey);
    }

    @Override
    public List<ExternalEffect> ofStage() {
        return store.effects(runId).stream().filter(e -> e.stage().equals(stage)).toList();
    }
}
