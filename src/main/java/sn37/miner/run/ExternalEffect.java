package sn37.miner.run;

import java.time.Instant;

/** An at-most-once remote side effect: written INTENDED before the call, CONFIRMED after. */
public record ExternalEffect(
        String effectKey,
        String runId,
        String stage,
        EffectStatus status,
        String requestJson,
        String responseJson,
        Instant createdAt,
        Instant confirmedAt,
        long version) {}
