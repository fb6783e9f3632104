package sn37.miner.run;

import java.util.List;
import java.util.Optional;

/**
 * The stored rows of one stage's remote side effects, as JSON text. Every write persists before it returns:
 * an INTENDED row must outlive a process that dies during the call it announces.
 */
public interface EffectRecords {
    /** Records INTENDED with the exact request; when the key exists already, returns it unchanged. */
    ExternalEffect intend(String effectKey, String requestJson);

    void confirm(String effectKey, String responseJson);

    /** Reconciliation showed the remote never got it: it may be sent again. */
    void markAbsent(String effectKey);

    Optional<ExternalEffect> find(String effectKey);

    /** Effects of this run and stage, oldest first. */
    List<ExternalEffect> ofStage();
}
