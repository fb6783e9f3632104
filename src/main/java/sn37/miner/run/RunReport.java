package sn37.miner.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import sn37.miner.util.Json;

/**
 * A run with its stages, artifacts and external effects, as the API and the CLI show it. The API's OpenAPI schema is
 * generated from these records: {@code required} marks the fields every answer holds (nulls are left out).
 */
public record RunReport(
        @JsonProperty(required = true) String id,
        @JsonProperty(required = true) String kind,
        @JsonProperty(required = true) String status,
        @JsonProperty(required = true) int attempt,
        String trigger,
        String runKey,
        JsonNode params,
        String failedStage,
        String lastError,
        FailureKind failureKind,
        @JsonProperty(required = true) boolean cancelRequested,
        @JsonProperty(required = true) int autoRetries,
        Instant nextRetryAt,
        @JsonProperty(required = true) Instant createdAt,
        Instant startedAt,
        Instant endedAt,
        List<StageView> stages,
        List<ArtifactRecord> artifacts,
        List<EffectView> effects) {

    public record StageView(@JsonProperty(required = true) String stage, @JsonProperty(required = true) int attempt,
            @JsonProperty(required = true) String status, Instant startedAt, Instant endedAt,
            Double seconds, Instant heartbeatAt, JsonNode outputs, String error) {}

    public record EffectView(@JsonProperty(required = true) String effectKey, @JsonProperty(required = true) String stage,
            @JsonProperty(required = true) String status, @JsonProperty(required = true) Instant createdAt,
            Instant confirmedAt) {}

    public static RunReport of(RunStore store, String runId) {
        Run r = store.get(runId);
        List<StageView> stages = store.stages(runId).stream().map(RunReport::view).toList();
        List<EffectView> effects = store.effects(runId).stream()
                .map(e -> new EffectView(e.effectKey(), e.stage(), e.status().name(), e.createdAt(), e.confirmedAt()))
                .toList();
        return new RunReport(r.id(), r.kind(), r.status().name(), r.attempt(), r.trigger(), r.runKey(),
                json(r.paramsJson()), r.failedStage(), r.lastError(), r.failureKind(), r.cancelRequested(), r.autoRetries(),
                r.nextRetryAt(), r.createdAt(), r.startedAt(), r.endedAt(), stages, store.artifacts(runId), effects);
    }

    /** The run row alone, for lists. */
    public static RunReport summary(Run r) {
        return new RunReport(r.id(), r.kind(), r.status().name(), r.attempt(), r.trigger(), r.runKey(), null,
                r.failedStage(), r.lastError(), r.failureKind(), r.cancelRequested(), r.autoRetries(), r.nextRetryAt(),
                r.createdAt(),
                r.startedAt(), r.endedAt(), null, null, null);
    }

    private static StageView view(StageExecution s) {
        Double seconds = s.startedAt() != null && s.endedAt() != null
                ? Duration.between(s.startedAt(), s.endedAt()).toMillis() / 1000.0
                : null;
        return new StageView(s.stage(), s.attempt(), s.status().name(), s.startedAt(), s.endedAt(), seconds,
                s.heartbeatAt(), json(s.outputsJson()), s.error());
    }

    private static JsonNode json(String text) {
        if (text == null) return null;
        try {
            return Json.mapper().readTree(text);
        } catch (Exception e) {
            throw new RunStoreException("stored JSON is unreadable: " + e.getMessage(), e);
        }
    }
}
