package sn37.miner.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import sn37.miner.competition.CompetitionSchedule;
import sn37.miner.config.Echo;
import sn37.miner.config.Json;
import sn37.miner.run.Run;
import sn37.miner.run.RunReport;
import sn37.miner.run.RunStatus;
import sn37.miner.run.RunStore;
import sn37.miner.stage.RunParams;
import sn37.miner.stage.Stage;
import sn37.miner.stage.StageNames;

/** The REST handlers behind {@code routes/api.yaml}. Long work never runs here: runs are queued. */
public final class RunApi {
    private static final int MAX_LIST = 500;

    private final RunStore store;
    private final RunQueue queue;
    private final Map<String, Stage> stages;

    RunApi(RunStore store, RunQueue queue, Map<String, Stage> stages) {
        this.store = store;
        this.queue = queue;
        this.stages = stages;
    }

    public void createRun(Exchange ex) throws JsonProcessingException {
        submit(ex, Run.PIPELINE);
    }

    public void runStage(Exchange ex) throws JsonProcessingException {
        String stage = ex.getIn().getHeader("stage", String.class);
        if (!StageNames.ORDER.contains(stage)) {
            throw new ApiException(404, "no stage " + Echo.quoted(stage) + ": the stages are "
                    + String.join(", ", StageNames.ORDER));
        }
        Stage s = stages.get(stage);
        if (s == null) {
            throw new ApiException(404, "stage '" + stage + "' is not available in this build; available: "
                    + String.join(", ", StageNames.ORDER.stream().filter(stages::containsKey).toList()));
        }
        requireJson(ex);
        RunParams params = parseParams(stage, ex.getIn().getBody(String.class));
        List<String> needed = s.requires(params);
        if (!needed.isEmpty() && s.explicitInputs().isEmpty()) {
            throw new ApiException(400, "stage '" + stage + "' cannot run alone: it needs the outputs of "
                    + String.join(", ", needed) + ", and no parameter stands in for them; start a pipeline run"
                    + " (POST /api/runs) instead");
        }
        if (!needed.isEmpty()) {
            throw new ApiException(400, "stage '" + stage + "' run alone needs its inputs given explicitly instead"
                    + " of the outputs of " + String.join(", ", needed) + ": missing " + s.explicitInputs());
        }
        submit(ex, stage, params);
    }

    private void submit(Exchange ex, String kind) throws JsonProcessingException {
        requireJson(ex);
        submit(ex, kind, parseParams(kind, ex.getIn().getBody(String.class)));
    }

    private void submit(Exchange ex, String kind, RunParams params) throws JsonProcessingException {
        String key = ex.getIn().getHeader("Idempotency-Key", String.class);
        if (key != null && (key.isBlank() || key.length() > 150)) {
            throw new ApiException(400, "Idempotency-Key must be 1 to 150 characters (got " + key.length() + ")");
        }
        queue.check(kind, params);
        RunStore.Created c = queue.submit(kind, params, "HTTP", key == null ? null : "http:" + key);
        if (!c.created()) requireSameRequest(c.run(), kind, params);
        respond(ex, c.created() ? 202 : 200, new RunAccepted(c.run().id(), c.run().status().name(), c.created()));
    }

    /** A body in another format would be parsed as form fields or ignored: refuse it instead. */
    private static void requireJson(Exchange ex) {
        String type = ex.getIn().getHeader(Exchange.CONTENT_TYPE, String.class);
        String body = utf8(ex.getIn().getBody(byte[].class));
        ex.getIn().setBody(body); // the request body is a stream: keep the text for the parser
        // Any other declared type is refused even with an empty body: a form or multipart body is consumed by the
        // HTTP layer before this point, and would otherwise start a run with the default parameters.
        if (type != null && !type.isBlank() && !type.toLowerCase(Locale.ROOT).contains("json")) {
            throw new ApiException(415, "the request body must be JSON: send 'Content-Type: application/json'"
                    + " (got " + Echo.quoted(type) + ")");
        }
    }

    /** JSON is UTF-8 (RFC 8259); a lenient decoder would turn bad bytes into U+FFFD and accept them as text. */
    private static String utf8(byte[] body) {
        if (body == null) return null;
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new ApiException(400, "the request body is not valid UTF-8: JSON must be sent as UTF-8 text");
        }
    }

    /**
     * A key names one request: the run found by it answers again only to the same kind and parameters (compared in
     * their canonical form, the recorded params JSON), never to another body sent with a reused key.
     */
    private static void requireSameRequest(Run existing, String kind, RunParams params) throws JsonProcessingException {
        if (!existing.kind().equals(kind) || !existing.paramsJson().equals(Json.mapper().writeValueAsString(params))) {
            throw new ApiException(422, "this Idempotency-Key was already used for another request (run "
                    + existing.id() + "): send a new key for a new request, or repeat the first request unchanged");
        }
    }

    /** The run parameters of a run of {@code kind}: a pipeline or one stage (see {@link #refuseStageInputs}). */
    static RunParams parseParams(String kind, String body) throws JsonProcessingException {
        RunParams params = parseParams(body);
        refuseStageInputs(kind, params);
        return params;
    }

    /**
     * {@code metric} and {@code upload_dir} stand in for the outputs of evaluate and train, so only the one-stage
     * run that takes them may be given them: a pipeline run gated on a given number instead of its evaluation, or
     * uploading another dir than the one it trained and evaluated, would publish an unevaluated model.
     */
    static void refuseStageInputs(String kind, RunParams params) {
        refuse(kind, "metric", params.metric() != null, StageNames.GATE, "the gate of a pipeline run uses the"
                + " metric of its evaluate stage");
        refuse(kind, "upload_dir", params.uploadDir() != null, StageNames.UPLOAD, "a pipeline run uploads the model"
                + " it trained and evaluated");
    }

    private static void refuse(String kind, String field, boolean given, String stage, String why) {
        if (given && !kind.equals(stage)) {
            boolean pipeline = kind.equals(Run.PIPELINE);
            throw new ApiException(400, "field '" + field + "' is accepted only by a " + stage + " run alone (POST"
                    + " /api/stages/" + stage + "), not by a " + (pipeline ? "pipeline" : kind) + " run"
                    + (pipeline ? ": " + why : ""));
        }
    }

    static RunParams parseParams(String body) throws JsonProcessingException {
        if (body == null || body.isBlank()) return RunParams.defaults();
        if (!body.strip().startsWith("{")) {
            throw new ApiException(400, "the request body must be a JSON object of run parameters");
        }
        return Json.strictReader(RunParams.class).readValue(body);
    }

    public void listRuns(Exchange ex) throws JsonProcessingException {
        String status = ex.getIn().getHeader("status", String.class);
        RunStatus filter = null;
        if (status != null && !status.isBlank()) {
            try {
                filter = RunStatus.valueOf(status.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "status must be one of " + List.of(RunStatus.values()) + " (got "
                        + Echo.quoted(status) + ")");
            }
        }
        int limit = intParam(ex, "limit", 50, 1, MAX_LIST);
        List<RunReport> runs = store.list(filter, limit).stream().map(RunReport::summary).toList();
        respond(ex, 200, new RunList(runs));
    }

    public void getRun(Exchange ex) throws JsonProcessingException {
        respond(ex, 200, RunReport.of(store, ex.getIn().getHeader("runId", String.class)));
    }

    public void resumeRun(Exchange ex) throws JsonProcessingException {
        Run run = queue.resume(ex.getIn().getHeader("runId", String.class), false);
        respond(ex, 202, new RunResumed(run.id(), run.status().name(), run.attempt()));
    }

    public void cancelRun(Exchange ex) throws JsonProcessingException {
        Run run = store.requestCancel(ex.getIn().getHeader("runId", String.class));
        respond(ex, 202, new CancelAccepted(run.id(), run.status().name(), run.cancelRequested()));
    }

    public void competitions(Exchange ex) throws JsonProcessingException {
        Map<String, Object> body = new LinkedHashMap<>();
        for (String name : CompetitionSchedule.NAMES) body.put(name, CompetitionSchedule.named(name));
        respond(ex, 200, body);
    }

    private static int intParam(Exchange ex, String name, int dflt, int min, int max) {
        String v = ex.getIn().getHeader(name, String.class);
        if (v == null || v.isBlank()) return dflt;
        try {
            int i = Integer.parseInt(v);
            if (i >= min && i <= max) return i;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ApiException(400, name + " must be an integer in [" + min + ", " + max + "] (got " + Echo.quoted(v)
                + ")");
    }

    private static void respond(Exchange ex, int status, Object body) throws JsonProcessingException {
        ex.getMessage().removeHeaders("*");
        ex.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        ex.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        ex.getMessage().setBody(Json.mapper().writeValueAsString(body));
    }
}
