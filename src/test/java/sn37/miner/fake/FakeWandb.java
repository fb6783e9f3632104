package sn37.miner.fake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A strict W&B API on 127.0.0.1 (src/main/resources/sn1/README.md "wandb GraphQL as the finetuning loader uses it",
 * platform.md §4): {@code POST /graphql} for {@code Runs}, {@code RunHistoryKeys}, {@code SampledHistoryPage} and
 * {@code UpsertBucket}, and {@code POST /files/{entity}/{project}/{run}/file_stream}. It checks the Basic
 * credentials, the content type, the query text and the variables' types, honours the run filters, pages runs
 * with opaque cursors, serves {@code sampledHistory} with an inclusive {@code maxStep}, AND semantics over the
 * keys and subsampling, and injects HTTP and GraphQL errors per operation.
 */
public final class FakeWandb implements Closeable {
    public static final String FILE_STREAM = "file_stream";
    static final JsonMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    private static final Pattern OPERATION = Pattern.compile("^\\s*(query|mutation)\\s+(\\w+)");
    private static final Pattern FILE_STREAM_PATH = Pattern.compile("/files/([^/]+)/([^/]+)/([^/]+)/file_stream");
    private static final DateTimeFormatter NODE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    /** A history page request as the fake received it. */
    public record HistoryRequest(String run, long minStep, long maxStep, int samples, List<String> keys) {}

    private record Fault(int status, String retryAfter, String graphqlError) {}

    private final MockWebServer server = new MockWebServer();
    private final String authorization;
    private final String entity;
    private final String project;
    private final List<FakeWandbRun> runs = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, FakeWandbLoggedRun> logged = new ConcurrentHashMap<>();
    private final Map<String, Deque<Fault>> faults = new HashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final List<ObjectNode> runsVariables = Collections.synchronizedList(new ArrayList<>());
    private final List<HistoryRequest> historyRequests = Collections.synchronizedList(new ArrayList<>());
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger requests = new AtomicInteger();
    private volatile boolean ignoreConfigFilters;

    private FakeWandb(String apiKey, String projectPath) {
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                ("api:" + apiKey).getBytes(StandardCharsets.UTF_8));
        this.entity = projectPath.substring(0, projectPath.indexOf('/'));
        this.project = projectPath.substring(projectPath.indexOf('/') + 1);
        server.setServerSocketFactory(FakeWandbSockets.NO_DELAY);
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return FakeWandb.this.dispatch(request);
            }
        });
    }

    /** A fake that accepts {@code apiKey} and serves validator runs of {@code macrocosmos/prompting-validators}. */
    public static FakeWandb start(String apiKey) throws IOException {
        FakeWandb fake = new FakeWandb(apiKey, "macrocosmos/prompting-validators");
        fake.server.start(InetAddress.getByName("127.0.0.1"), 0);
        return FakeViolations.watch(fake, fake::violations);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getPort();
    }

    @Override
    public void close() {
        server.close();
    }

    public FakeWandb add(FakeWandbRun run) {
        runs.add(run);
        return this;
    }

    /** The next {@code times} calls of {@code operation} (a GraphQL operation name or "file_stream") get HTTP status. */
    public synchronized FakeWandb fail(String operation, int status, int times) {
        return fault(operation, new Fault(status, null, null), times);
    }

    public synchronized FakeWandb failWithRetryAfter(String operation, int status, String seconds, int times) {
        return fault(operation, new Fault(status, seconds, null), times);
    }

    /** The next {@code times} calls of {@code operation} get HTTP 200 with {@code {"errors": [{message}]}}. */
    public synchronized FakeWandb graphqlError(String operation, String message, int times) {
        return fault(operation, new Fault(200, null, message), times);
    }

    private FakeWandb fault(String operation, Fault f, int times) {
        Deque<Fault> q = faults.computeIfAbsent(operation, k -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) {
            q.add(f);
        }
        return this;
    }

    /** Serve runs as if {@code config.*} filter clauses matched everything: a server that does not honour them. */
    public FakeWandb ignoreConfigFilters() {
        ignoreConfigFilters = true;
        return this;
    }

    public int requests() {
        return requests.get();
    }

    public int count(String operation) {
        AtomicInteger n = counts.get(operation);
        return n == null ? 0 : n.get();
    }

    public List<ObjectNode> runsVariables() {
        return List.copyOf(runsVariables);
    }

    public List<HistoryRequest> historyRequests() {
        return List.copyOf(historyRequests);
    }

    public List<String> violations() {
        return List.copyOf(violations);
    }

    public FakeWandbLoggedRun loggedRun(String name) {
        return logged.get(name);
    }

    public List<FakeWandbLoggedRun> loggedRuns() {
        return List.copyOf(logged.values());
    }

    static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + line, e);
        }
    }

    // ---- dispatch ----

    private MockResponse dispatch(RecordedRequest request) {
        requests.incrementAndGet();
        String path = request.getUrl().encodedPath();
        if (!"POST".equals(request.getMethod())) {
            return violation(405, request.getMethod() + " " + path + ": only POST is served");
        }
        if (!authorization.equals(request.getHeaders().get("Authorization"))) {
            return json(401, "{\"errors\":[{\"message\":\"user is not logged in\"}]}");
        }
        String type = request.getHeaders().get("Content-Type");
        if (type == null || !type.startsWith("application/json")) {
            return violation(415, path + ": Content-Type " + type + ", expected application/json");
        }
        JsonNode body;
        try {
            body = JSON.readTree(request.getBody().utf8());
        } catch (JsonProcessingException e) {
            return violation(400, path + ": body is not JSON");
        }
        if (path.equals("/graphql")) {
            return graphql(body);
        }
        Matcher m = FILE_STREAM_PATH.matcher(path);
        if (m.matches()) {
            return fileStream(m.group(1), m.group(2), m.group(3), body);
        }
        return violation(404, "no such endpoint: " + path);
    }

    private MockResponse graphql(JsonNode body) {
        String query = body.path("query").asText("");
        JsonNode vars = body.get("variables");
        Matcher m = OPERATION.matcher(query);
        if (!m.find() || vars == null || !vars.isObject()) {
            return violation(400, "GraphQL body needs a named query and a variables object");
        }
        String op = m.group(2);
        counts.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet();
        MockResponse fault = takeFault(op);
        if (fault != null) {
            return fault;
        }
        try {
            JsonNode data = switch (op) {
                case "Runs" -> runsPage(query, (ObjectNode) vars);
                case "RunHistoryKeys" -> historyKeys(query, vars);
                case "SampledHistoryPage" -> sampledHistory(query, vars);
                case "UpsertBucket" -> upsertBucket(vars);
                default -> throw new BadQuery("unknown operation " + op);
            };
            ObjectNode answer = JSON.createObjectNode();
            answer.set("data", data);
            return json(200, answer.toString());
        } catch (BadQuery | FakeWandbFilters.BadFilter e) {
            violations.add(op + ": " + e.getMessage());
            return json(200, errors(e.getMessage()));
        }
    }

    private static final class BadQuery extends RuntimeException {
        BadQuery(String message) {
            super(message);
        }
    }

    private JsonNode runsPage(String query, ObjectNode vars) {
        require(query.contains("runs(filters: $filters, after: $cursor, first: $perPage, order: $order)")
                && query.contains("pageInfo { endCursor hasNextPage }") && query.contains("fragment RunFragment"),
                "Runs query text is not the SDK's");
        runsVariables.add(vars.deepCopy());
        String e = string(vars, "entity");
        String p = string(vars, "project");
        require("+created_at".equals(vars.path("order").asText(null)), "order must be +created_at");
        require(vars.path("filters").isTextual(), "filters must be a JSON string");
        require(vars.path("perPage").isInt() && vars.get("perPage").asInt() >= 1, "perPage must be an int >= 1");
        JsonNode cursorNode = vars.get("cursor");
        require(cursorNode == null || cursorNode.isNull() || cursorNode.isTextual(), "cursor must be null or a string");
        ObjectNode data = JSON.createObjectNode();
        if (!e.equals(entity) || !p.equals(project)) {
            data.putNull("project");
            return data;
        }
        JsonNode filter = parse(vars.get("filters").asText());
        List<FakeWandbRun> matching = new ArrayList<>();
        synchronized (runs) {
            for (FakeWandbRun r : runs) {
                if (FakeWandbFilters.matches(r, filter, ignoreConfigFilters)) {
                    matching.add(r);
                }
            }
        }
        matching.sort(Comparator.comparing((FakeWandbRun r) -> r.createdAt).thenComparing(r -> r.name));
        int start = cursorNode == null || cursorNode.isNull() ? 0 : decodeCursor(cursorNode.asText());
        int perPage = vars.get("perPage").asInt();
        int end = Math.min(matching.size(), start + perPage);
        ObjectNode proj = data.putObject("project");
        proj.put("runCount", matching.size());
        proj.put("readOnly", true);
        ObjectNode runsNode = proj.putObject("runs");
        ArrayNode edges = runsNode.putArray("edges");
        for (int i = start; i < end; i++) {
            ObjectNode edge = edges.addObject();
            edge.set("node", node(matching.get(i)));
            edge.put("cursor", encodeCursor(i + 1));
        }
        ObjectNode info = runsNode.putObject("pageInfo");
        info.put("endCursor", end > start ? encodeCursor(end) : null);
        info.put("hasNextPage", end < matching.size());
        return data;
    }

    private ObjectNode node(FakeWandbRun r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", Base64.getEncoder().encodeToString(("Run:v1:" + r.name + ":" + project + ":" + entity)
                .getBytes(StandardCharsets.UTF_8)));
        n.putArray("tags").add("Wallet: " + r.hotkey()).add("Netuid: 1");
        n.put("name", r.name);
        n.put("displayName", "validator-" + r.name);
        n.putNull("sweepName");
        n.put("state", r.state);
        n.put("config", r.configJson());
        n.putNull("group");
        n.putNull("jobType");
        n.putNull("commit");
        n.put("readOnly", true);
        n.put("createdAt", NODE_TIME.format(r.createdAt));
        n.put("heartbeatAt", NODE_TIME.format(r.updatedAt));
        n.putNull("description");
        n.putNull("notes");
        n.put("systemMetrics", "{}");
        n.put("summaryMetrics", "{}");
        n.put("historyLineCount", r.lastStep() + 1);
        n.putObject("user").put("name", "validator").put("username", "validator");
        n.putObject("historyKeys").put("lastStep", r.lastStep()).putObject("keys");
        return n;
    }

    private JsonNode historyKeys(String query, JsonNode vars) {
        require(query.contains("run(name: $name) { historyKeys }"), "RunHistoryKeys query text is not the SDK's");
        FakeWandbRun r = find(string(vars, "entity"), string(vars, "project"), string(vars, "name"));
        ObjectNode data = JSON.createObjectNode();
        ObjectNode proj = data.putObject("project");
        if (r == null) {
            proj.putNull("run");
        } else {
            ObjectNode keys = proj.putObject("run").putObject("historyKeys");
            if (r.lastStep() >= 0) {
                keys.put("lastStep", r.lastStep());
            }
            keys.putObject("keys");
        }
        return data;
    }

    private JsonNode sampledHistory(String query, JsonNode vars) {
        require(query.contains("sampledHistory(specs: [$spec])") && query.contains("$spec: JSONString!"),
                "SampledHistoryPage query text is not finetuning's");
        require(vars.path("spec").isTextual(), "spec must be a JSON string");
        JsonNode spec = parse(vars.get("spec").asText());
        require(spec.path("keys").isArray() && !spec.get("keys").isEmpty(), "spec.keys must be a non-empty list");
        require(spec.path("minStep").canConvertToLong() && spec.path("maxStep").canConvertToLong()
                && spec.path("minStep").isIntegralNumber() && spec.path("maxStep").isIntegralNumber(),
                "spec.minStep and spec.maxStep must be integers");
        require(spec.path("samples").isInt() && spec.get("samples").asInt() >= 1, "spec.samples must be an int >= 1");
        List<String> keys = new ArrayList<>();
        spec.get("keys").forEach(k -> keys.add(k.asText()));
        long min = spec.get("minStep").asLong();
        long max = spec.get("maxStep").asLong();
        int samples = spec.get("samples").asInt();
        String runName = string(vars, "run");
        historyRequests.add(new HistoryRequest(runName, min, max, samples, List.copyOf(keys)));
        FakeWandbRun r = find(string(vars, "entity"), string(vars, "project"), runName);
        ObjectNode data = JSON.createObjectNode();
        ObjectNode proj = data.putObject("project");
        if (r == null) {
            proj.putNull("run");
            return data;
        }
        // maxStep is inclusive for sampledHistory (wandb-core runhistoryreader/livedata.go).
        List<ObjectNode> rows = new ArrayList<>();
        for (long step = Math.max(0, min); step <= Math.min(max, r.lastStep()); step++) {
            ObjectNode row = r.rowAt(step);
            if (row != null && keys.stream().allMatch(row::has)) {
                ObjectNode projected = JSON.createObjectNode();
                keys.forEach(k -> projected.set(k, row.get(k)));
                rows.add(projected);
            }
        }
        ArrayNode list = proj.putObject("run").putArray("sampledHistory").addArray();
        double stride = rows.size() <= samples ? 1 : (double) rows.size() / samples;
        for (int i = 0; i < Math.min(samples, rows.size()); i++) {
            list.add(rows.get((int) Math.floor(i * stride)));
        }
        return data;
    }

    private JsonNode upsertBucket(JsonNode vars) {
        String name = string(vars, "name");
        String e = string(vars, "entity");
        String p = string(vars, "project");
        require(vars.path("config").isTextual(), "config must be a JSON string");
        JsonNode config = parse(vars.get("config").asText());
        config.fields().forEachRemaining(f -> require(f.getValue().isObject() && f.getValue().has("value"),
                "config entry " + f.getKey() + " is not {\"value\": ...}"));
        FakeWandbLoggedRun run = logged.computeIfAbsent(e + "/" + p + "/" + name,
                k -> new FakeWandbLoggedRun(e, p, name));
        run.displayName = vars.path("displayName").asText(null);
        run.configJson = vars.get("config").asText();
        ObjectNode data = JSON.createObjectNode();
        ObjectNode upsert = data.putObject("upsertBucket");
        ObjectNode bucket = upsert.putObject("bucket");
        bucket.put("id", Base64.getEncoder().encodeToString(("Run:v1:" + name).getBytes(StandardCharsets.UTF_8)));
        bucket.put("name", name);
        bucket.put("displayName", run.displayName);
        bucket.putNull("description");
        bucket.put("config", run.configJson);
        bucket.putNull("sweepName");
        ObjectNode proj = bucket.putObject("project");
        proj.put("id", "UHJvamVjdDox");
        proj.put("name", p);
        proj.putObject("entity").put("id", "RW50aXR5OjE=").put("name", e);
        bucket.put("historyLineCount", run.size("wandb-history.jsonl"));
        upsert.put("inserted", true);
        return data;
    }

    private MockResponse fileStream(String e, String p, String name, JsonNode body) {
        counts.computeIfAbsent(FILE_STREAM, k -> new AtomicInteger()).incrementAndGet();
        MockResponse fault = takeFault(FILE_STREAM);
        if (fault != null) {
            return fault;
        }
        FakeWandbLoggedRun run = logged.get(e + "/" + p + "/" + name);
        if (run == null) {
            return violation(404, "file_stream for unknown run " + e + "/" + p + "/" + name);
        }
        JsonNode files = body.path("files");
        if (!files.isMissingNode() && !files.isObject()) {
            return violation(400, "file_stream files must be an object");
        }
        Map<String, List<String>> writes = new LinkedHashMap<>();
        for (var it = files.fields(); it.hasNext(); ) {
            var f = it.next();
            JsonNode chunk = f.getValue();
            if (!chunk.path("offset").isInt() || !chunk.path("content").isArray()) {
                return violation(400, "file_stream " + f.getKey() + " needs an int offset and a content list");
            }
            int offset = chunk.get("offset").asInt();
            if (offset < 0 || offset > run.size(f.getKey())) {
                return violation(400, "file_stream " + f.getKey() + " offset " + offset + " leaves a gap after line "
                        + run.size(f.getKey()));
            }
            List<String> lines = new ArrayList<>();
            for (JsonNode line : chunk.get("content")) {
                if (!line.isTextual() || !parse(line.asText()).isObject()) {
                    return violation(400, "file_stream " + f.getKey() + " line is not a JSON object string");
                }
                lines.add(line.asText());
            }
            writes.put(f.getKey() + "@" + offset, lines);
        }
        writes.forEach((k, lines) -> run.write(k.substring(0, k.lastIndexOf('@')),
                Integer.parseInt(k.substring(k.lastIndexOf('@') + 1)), lines));
        if (body.path("complete").asBoolean(false)) {
            run.complete = true;
            run.exitCode = body.path("exitcode").isInt() ? body.get("exitcode").asInt() : null;
        }
        return json(200, "{\"exitcode\":null,\"limits\":{}}");
    }

    // ---- helpers ----

    private synchronized MockResponse takeFault(String op) {
        Deque<Fault> q = faults.get(op);
        Fault f = q == null ? null : q.poll();
        if (f == null) {
            return null;
        }
        if (f.graphqlError() != null) {
            return json(200, errors(f.graphqlError()));
        }
        MockResponse.Builder b = new MockResponse.Builder().code(f.status())
                .addHeader("Content-Type", "application/json")
                .body("{\"errors\":[{\"message\":\"injected HTTP " + f.status() + "\"}]}");
        if (f.retryAfter() != null) {
            b.addHeader("Retry-After", f.retryAfter());
        }
        return b.build();
    }

    private FakeWandbRun find(String e, String p, String name) {
        if (!e.equals(entity) || !p.equals(project)) {
            return null;
        }
        synchronized (runs) {
            return runs.stream().filter(r -> r.name.equals(name)).findFirst().orElse(null);
        }
    }

    private static String string(JsonNode vars, String field) {
        require(vars.path(field).isTextual(), field + " must be a string");
        return vars.get(field).asText();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new BadQuery(message);
        }
    }

    private static String encodeCursor(int index) {
        return Base64.getEncoder().encodeToString(("cursor:" + index).getBytes(StandardCharsets.UTF_8));
    }

    private static int decodeCursor(String cursor) {
        String text;
        try {
            text = new String(Base64.getDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadQuery("cursor " + cursor + " was not issued by this server");
        }
        require(text.startsWith("cursor:"), "cursor " + cursor + " was not issued by this server");
        return Integer.parseInt(text.substring("cursor:".length()));
    }

    private static String errors(String message) {
        ObjectNode n = JSON.createObjectNode();
        n.putArray("errors").addObject().put("message", message).putArray("path");
        n.putNull("data");
        return n.toString();
    }

    private MockResponse violation(int status, String message) {
        violations.add(message);
        return json(status, errors(message));
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body)
                .build();
    }
}
