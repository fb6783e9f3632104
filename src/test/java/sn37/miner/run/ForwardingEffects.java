package sn37.miner.run;

import java.util.List;
import java.util.Optional;

/** Effect records that pass every call on to {@code store}: a test overrides the one call it makes fail. */
public class ForwardingEffects implements EffectRecords {
    protected final EffectRecords store;

    public ForwardingEffects(EffectRecords store) {
        this.store = store;
    }

    @Override
    public ExternalEffect intend(String effectKey, String requestJson) {
        return store.intend(effectKey, requestJson);
    }

    @Override
    public void confirm(String effectKey, String responseJson) {
        store.confirm(effectKey, responseJson);
    }

    @Override
    public void markAbsent(String effectKey) {
        store.markAbsent(effectKey);
    }

    @Override
    public Optional<ExternalEffect> find(String effectKey) {
        return store.find(effectKey);
    }

    @Override
    public List<ExternalEffect> ofStage() {
        return store.ofStage();
    }
}
