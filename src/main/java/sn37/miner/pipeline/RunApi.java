package sn37.miner.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.chain.ChainException;
import sn37.miner.competition.CompetitionSchedule;
import sn37.miner.util.Echo;
import sn37.miner.util.Json;
import sn37.miner.run.ProgressLog;
import sn37.miner.run.Run;
import sn37.miner.run.RunReport;
import sn37.miner.run.RunStatus;
import sn37.miner.run.RunStore;
import sn37.miner.stage.RunParams;
import sn37.miner.stage.Stage;
import sn37.miner.stage.StageNames;

/** The REST handlers behind {@code routes/api.yaml}. Long work never runs here: runs are queued. */
public final class RunApi {
    private static final Logger LOG = LoggerFactory.getLogger(RunApi.class);
    private static final int MAX_LIST = 500;
    private static final int MAX_EVENTS = 20_000;
    /** How long one event stream stays open before the client is sent to reconnect: bounds a worker thread's hold. */
    static final Duration STREAM_MAX_OPEN = Duration.ofSeconds(50);
    static final int MAX_STREAMS = 8;

    private final RunStore store;
    private final RunQueue queue;
    private final Map<String, Stage> stages;
    private final ProgressLog progress;
    private final CompetitionDefault competition;
    private final AtomicInteger openStreams = new AtomicInteger();

    RunApi(RunStore store, RunQueue queue, Map<String, Stage> stages, ProgressLog progress,
            CompetitionDefault competition) {
        this.store = store;
        this.queue = queue;
        this.stages = stages;
        this.progress = progress;
        this.competition = competition;
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
        CompetitionDefault.Request request = CompetitionDefault.Request.of(stage, ex.getIn().getBody(String.class));
        String key = idempotencyKey(ex);
        if (answeredBefore(ex, key, stage, request)) return;
        RunParams params = resolve(request);
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
        submit(ex, stage, key, request, params);
    }

    private void submit(Exchange ex, String kind) throws JsonProcessingException {
        requireJson(ex);
        CompetitionDefault.Request request = CompetitionDefault.Request.of(kind, ex.getIn().getBody(String.class));
        String key = idempotencyKey(ex);
        if (answeredBefore(ex, key, kind, request)) return;
        submit(ex, kind, key, request, resolve(request));
    }

    private static String idempotencyKey(Exchange ex) {
        String key = ex.getIn().getHeader("Idempotency-Key", String.class);
        if (key != null && (key.isBlank() || key.length() > 150)) {
            throw new ApiException(400, "Idempotency-Key must be 1 to 150 characters (got " + key.length() + ")");
        }
        return key == null ? null : "http:" + key;
    }

    /** A repeated request gets the run the first one made, without asking the chain for a competition again. */
    private boolean answeredBefore(Exchange ex, String key, String kind, CompetitionDefault.Request request)
            throws JsonProcessingException {
        if (key == null) return false;
        Run existing = store.findByKey(key).orElse(null);
        if (existing == null) return false;
        requireSameRequest(existing, kind, request);
        respond(ex, 200, new RunAccepted(existing.id(), existing.status().name(), false));
        return true;
    }

    /** The run's parameters with the default competition filled in; 503 when the chain decides and cannot be read. */
    private RunParams resolve(CompetitionDefault.Request request) throws JsonProcessingException {
        try {
            return competition.resolve(request);
        } catch (ChainException e) {
            LOG.warn("no competition_id given, and the chain's current block cannot be read: {}", e.getMessage());
            throw new ApiException(503, "no competition_id given, and the competition live now cannot be found: the"
                    + " current block cannot be read from the chain node of subtensor_network / subtensor_chain_endpoint"
                    + " (see the server log), so no run was created: pass competition_id (GET /api/competitions lists"
                    + " the schedules), or retry when the node answers");
        }
    }

    private void submit(Exchange ex, String kind, String key, CompetitionDefault.Request request, RunParams params)
            throws JsonProcessingException {
        queue.check(kind, params);
        RunStore.Created c = queue.submit(kind, params, "HTTP", key);
        if (!c.created()) requireSameRequest(c.run(), kind, request);
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
     * their canonical form, the recorded params JSON), never to another body sent with a reused key. The request is
     * compared as sent: a body that named no competition is given the one the first run was given.
     */
    private static void requireSameRequest(Run existing, String kind, CompetitionDefault.Request request)
            throws JsonProcessingException {
        if (!existing.kind().equals(kind) || !existing.paramsJson().equals(Json.mapper().writeValueAsString(
                CompetitionDefault.like(request, Json.mapper().readValue(existing.paramsJson(), RunParams.class))))) {
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

    /** {@code GET /api/runs/{runId}/progress?after=SEQ&limit=N}: the run's progress events after SEQ, oldest first. */
    public void progress(Exchange ex) {
        String runId = ex.getIn().getHeader("runId", String.class);
        store.get(runId); // 404 for an unknown run, not an empty list
        long after = longParam("after", ex.getIn().getHeader("after", String.class));
        int limit = intParam(ex, "limit", 5_000, 1, MAX_EVENTS);
        StringBuilder sb = new StringBuilder("[");
        for (ProgressLog.Entry e : progress.after(runId, after, limit)) {
            if (sb.length() > 1) sb.append(',');
            sb.append(eventJson(e));
        }
        ex.getMessage().removeHeaders("*");
        ex.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        ex.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        ex.getMessage().setBody(sb.append(']').toString());
    }

    /**
     * {@code GET /api/runs/{runId}/progress/stream}: Server-Sent Events from {@code Last-Event-ID} (or {@code after})
     * until the run ends. A reconnect (Last-Event-ID given) to a run that has ended with nothing new gets 204, which
     * tells an EventSource to stop reconnecting.
     *
     * <p>The events are written to the response here, on the HTTP worker thread that handles the request, and the
     * response is ended before returning: Camel's platform-http reads an InputStream body until 16 KiB have come, so
     * it cannot stream small events. {@link #STREAM_MAX_OPEN} keeps the thread under Vert.x's 60 s blocked-worker
     * warning, and {@link #MAX_STREAMS} leaves workers for the other requests.
     */
    public void progressStream(Exchange ex) throws InterruptedException {
        String runId = ex.getIn().getHeader("runId", String.class);
        Run run = store.get(runId);
        String lastEventId = ex.getIn().getHeader("Last-Event-ID", String.class);
        long after = lastEventId != null ? longParam("Last-Event-ID", lastEventId)
                : longParam("after", ex.getIn().getHeader("after", String.class));
        ex.getMessage().removeHeaders("*");
        if (lastEventId != null && !run.status().isActive() && progress.after(runId, after, 1).isEmpty()) {
            ex.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
            ex.getMessage().setBody(null);
            return;
        }
        if (!(ex.getIn() instanceof HttpMessage http)) {
            throw new ApiException(400, "the progress stream is served over HTTP only");
        }
        if (openStreams.incrementAndGet() > MAX_STREAMS) {
            openStreams.decrementAndGet();
            throw new ApiException(503, MAX_STREAMS + " progress streams are open already: close one, or poll"
                    + " GET /api/runs/" + runId + "/progress?after=SEQ instead");
        }
        try {
            ProgressStream stream = new ProgressStream(progress, store, runId, after, STREAM_MAX_OPEN);
            HttpServerResponse response = http.getResponse();
            response.closeHandler(v -> stream.close());
            response.setStatusCode(200).setChunked(true)
                    .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                    .putHeader("Cache-Control", "no-cache")
                    .putHeader("X-Content-Type-Options", "nosniff");
            for (String chunk; (chunk = stream.next()) != null && !response.closed(); ) response.write(chunk);
            try {
                response.end(); // also when the client is gone: an ended response is one Camel does not write again
            } catch (IllegalStateException alreadyEnded) {
                // nothing more to send
            }
        } finally {
            openStreams.decrementAndGet();
        }
    }

    /** A stored event as the API shows it: its sequence number and time, then the event's own fields. */
    static String eventJson(ProgressLog.Entry e) {
        String event = e.eventJson();
        return "{\"seq\":" + e.seq() + ",\"at\":\"" + e.at() + "\"" + (event.length() > 2 ? "," + event.substring(1)
                : "}");
    }

    private static long longParam(String name, String v) {
        if (v == null || v.isBlank()) return 0;
        try {
            long n = Long.parseLong(v.strip());
            if (n >= 0) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ApiException(400, name + " must be an event sequence number, an integer >= 0 (got "
                + Echo.quoted(v) + ")");
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
