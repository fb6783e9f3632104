package sn37.miner.fake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;

/**
 * A strict Hugging Face dataset viewer on 127.0.0.1 (huggingface/dataset-viewer docs {@code splits.md},
 * {@code size.md}, {@code rows.md}, libapi {@code request.py}): {@code GET /splits?dataset=},
 * {@code GET /size?dataset=} and {@code GET /rows} with {@code offset >= 0} and {@code 0 <= length <= 100}, answers
 * shaped as the real ones, error bodies {@code {"error": ...}} with {@code X-Error-Code}.
 *
 * <p>Shapes: {@code /splits} → {@code {"splits": [{"dataset", "config", "split"}], "pending", "failed"}};
 * {@code /size} → {@code {"size": {"dataset": {...}, "configs": [...], "splits": [{"dataset", "config", "split",
 * "num_bytes_parquet_files", "num_bytes_memory", "num_rows", "num_columns"}]}, "pending", "failed", "partial"}}
 * (the {@code ibm/duorc} example of {@code size.md}; finetuning's {@code fetch_dataset_configs} reads
 * {@code size.splits[].config/split/num_rows}); {@code /rows} → {@code {"features": [{"feature_idx", "name",
 * "type"}], "rows": [{"row_idx", "row", "truncated_cells"}], "num_rows_total", "num_rows_per_page", "partial"}}
 * ({@code rows.md}; finetuning reads {@code rows[].row}). The cells of a row are whatever a test gives: the
 * competition-4 tests give the column sets of the dataset cards ({@code PrimeIntellect/SYNTHETIC-1-SFT-Data}:
 * {@code response_id, problem_id, task_type, score, messages}; {@code open-r1/codeforces-cots}: {@code id,
 * contest_type, ..., messages}); the FINEWEB tests give {@link #finewebRow}'s. Each feature's {@code type} is
 * {@code {"dtype", "_type": "Value"}} with the dtype the first row's cell suggests (string, int64, float64, bool).
 *
 * <p>Stricter than the real one in one way: the viewer ignores query parameters it does not know (finetuning's
 * {@code limit=} is dropped, so its pages hold the default 100 rows), this fake refuses them with 422 and records a
 * violation, so a client that sends one fails its test. {@link #config} adds a config of the first dataset whose
 * only split is named like it (as macrobench-bittensor-01); {@link #split} adds any (dataset, config, split). A
 * wrong Bearer token is refused; configs can be made to fail, and the next requests can be answered with an error
 * status or a dropped connection.
 */
public final class FakeDatasetViewer implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One /rows request as received. */
    public record RowsRequest(String config, String split, long offset, int length) {}

    private final MockWebServer server = new MockWebServer();
    private static final Map<String, Set<String>> PARAMETERS = Map.of(
            "/splits", Set.of("dataset"), "/size", Set.of("dataset"),
            "/rows", Set.of("dataset", "config", "split", "offset", "length"));

    private record Fault(int status, boolean drop) {}

    private final String dataset;
    private final String token;
    /** dataset → config → split → rows. */
    private final Map<String, Map<String, Map<String, List<ObjectNode>>>> datasets =
            Collections.synchronizedMap(new LinkedHashMap<>());
    private final java.util.Deque<Fault> faults = new java.util.ArrayDeque<>();
    private final List<String> rowsDatasets = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Integer> failures = new HashMap<>();
    /** config → "rowIdx:cell". */
    private final Map<String, Set<String>> truncated = new ConcurrentHashMap<>();
    private final List<RowsRequest> rowsRequests = Collections.synchronizedList(new ArrayList<>());
    private final List<String> authHeaders = Collections.synchronizedList(new ArrayList<>());
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger requests = new AtomicInteger();
    private int failSplits;

    private FakeDatasetViewer(String dataset, String token) {
        this.dataset = dataset;
        this.token = token;
        server.setServerSocketFactory(FakeWandbSockets.NO_DELAY);
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return FakeDatasetViewer.this.dispatch(request);
            }
        });
    }

    /** @param token the one HF token accepted when a request carries one (anonymous reads are allowed) */
    public static FakeDatasetViewer start(String dataset, String token) throws IOException {
        FakeDatasetViewer fake = new FakeDatasetViewer(dataset, token);
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

    public FakeDatasetViewer config(String name, List<ObjectNode> rows) {
        return split(dataset, name, name, rows);
    }

    /** Adds (or replaces) split {@code split} of config {@code config} of {@code ds}. */
    public synchronized FakeDatasetViewer split(String ds, String config, String split, List<ObjectNode> rows) {
        datasets.computeIfAbsent(ds, k -> new LinkedHashMap<>()).computeIfAbsent(config, k -> new LinkedHashMap<>())
                .put(split, List.copyOf(rows));
        return this;
    }

    /** The next {@code times} requests, to any endpoint, answer {@code status} (429 with {@code Retry-After: 1}). */
    public synchronized FakeDatasetViewer failNext(int times, int status) {
        for (int i = 0; i < times; i++) {
            faults.add(new Fault(status, false));
        }
        return this;
    }

    /** The next {@code times} requests have their connection closed before any answer. */
    public synchronized FakeDatasetViewer dropNext(int times) {
        for (int i = 0; i < times; i++) {
            faults.add(new Fault(0, true));
        }
        return this;
    }

    /** The /rows requests made for dataset {@code ds}, in order. */
    public List<RowsRequest> rowsRequests(String ds) {
        List<RowsRequest> out = new ArrayList<>();
        synchronized (rowsRequests) {
            for (int i = 0; i < rowsRequests.size(); i++) {
                if (rowsDatasets.get(i).equals(ds)) {
                    out.add(rowsRequests.get(i));
                }
            }
        }
        return out;
    }

    /** Every /rows call for {@code config} answers {@code status} from now on; -1 clears it. */
    public synchronized FakeDatasetViewer failConfig(String config, int status) {
        if (status < 0) {
            failures.remove(config);
        } else {
            failures.put(config, status);
        }
        return this;
    }

    public synchronized FakeDatasetViewer failSplits(int times) {
        failSplits = times;
        return this;
    }

    /** Row {@code rowIdx} of {@code config} comes back with its challenge marked truncated. */
    public FakeDatasetViewer truncate(String config, long rowIdx) {
        return truncate(config, rowIdx, "challenge");
    }

    /** Row {@code rowIdx} of {@code config} comes back with {@code cell} marked truncated. */
    public FakeDatasetViewer truncate(String config, long rowIdx, String cell) {
        truncated.computeIfAbsent(config, k -> ConcurrentHashMap.newKeySet()).add(rowIdx + ":" + cell);
        return this;
    }

    public int requests() {
        return requests.get();
    }

    public List<RowsRequest> rowsRequests() {
        return List.copyOf(rowsRequests);
    }

    public List<String> authHeaders() {
        return List.copyOf(authHeaders);
    }

    /** Requests no correct client sends (wrong method, endpoint or parameters); each is also answered as the real one does. */
    public List<String> violations() {
        return List.copyOf(violations);
    }

    private MockResponse violation(int status, String code, String message) {
        violations.add(message);
        return error(status, code, message);
    }

    private MockResponse dispatch(RecordedRequest request) {
        requests.incrementAndGet();
        String auth = request.getHeaders().get("Authorization");
        authHeaders.add(String.valueOf(auth));
        if (!"GET".equals(request.getMethod())) {
            return violation(405, "MethodNotAllowed", "only GET is served");
        }
        if (auth != null && !auth.equals("Bearer " + token)) {
            return error(401, "ExternalUnauthenticatedError", "The dataset does not exist, or is not accessible with"
                    + " the current credentials (private or gated).");
        }
        HttpUrl url = request.getUrl();
        Set<String> known = PARAMETERS.get(url.encodedPath());
        if (known == null) {
            return violation(404, "ResponseNotFound", "no such endpoint " + url.encodedPath());
        }
        for (String name : url.queryParameterNames()) {
            if (!known.contains(name)) {
                return violation(422, "InvalidParameter", "unknown parameter '" + name + "' for "
                        + url.encodedPath());
            }
        }
        String ds = url.queryParameter("dataset");
        if (ds == null || ds.isEmpty()) {
            return violation(422, "MissingRequiredParameter", "Parameter 'dataset' is required");
        }
        Fault fault;
        synchronized (this) {
            fault = faults.poll();
        }
        if (fault != null && fault.drop()) {
            return new MockResponse.Builder().code(200).body("{}")
                    .onResponseStart(new mockwebserver3.SocketEffect.CloseSocket()).build();
        }
        if (fault != null) {
            MockResponse.Builder failed = errorBuilder(fault.status(), fault.status() == 429 ? "TooManyRequests"
                    : "UnexpectedApiError", "injected failure");
            if (fault.status() == 429) {
                failed.setHeader("Retry-After", "1");
            }
            return failed.build();
        }
        Map<String, Map<String, List<ObjectNode>>> configs = datasets.get(ds);
        if (configs == null && !ds.equals(dataset)) {
            return error(404, "ResponseNotFound", "Not found.");
        }
        Map<String, Map<String, List<ObjectNode>>> found = configs == null ? Map.of() : configs;
        return switch (url.encodedPath()) {
            case "/splits" -> splits(ds, found);
            case "/size" -> size(ds, found);
            default -> rows(url, ds, found);
        };
    }

    private synchronized MockResponse splits(String ds, Map<String, Map<String, List<ObjectNode>>> configs) {
        if (failSplits > 0) {
            failSplits--;
            return error(500, "UnexpectedApiError", "Unexpected error.");
        }
        ObjectNode body = JSON.createObjectNode();
        ArrayNode splits = body.putArray("splits");
        configs.forEach((c, byName) -> byName.keySet().forEach(sp -> splits.addObject().put("dataset", ds)
                .put("config", c).put("split", sp)));
        body.putArray("pending");
        body.putArray("failed");
        return ok(body);
    }

    private synchronized MockResponse size(String ds, Map<String, Map<String, List<ObjectNode>>> configs) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode size = body.putObject("size");
        long all = configs.values().stream().flatMap(m -> m.values().stream()).mapToLong(List::size).sum();
        size.putObject("dataset").put("dataset", ds).put("num_bytes_original_files", 1000 * all)
                .put("num_bytes_parquet_files", 1000 * all).put("num_bytes_memory", 2000 * all).put("num_rows", all);
        ArrayNode cs = size.putArray("configs");
        ArrayNode ss = size.putArray("splits");
        configs.forEach((c, byName) -> {
            long n = byName.values().stream().mapToLong(List::size).sum();
            cs.addObject().put("dataset", ds).put("config", c).put("num_bytes_original_files", 1000 * n)
                    .put("num_bytes_parquet_files", 1000 * n).put("num_bytes_memory", 2000 * n).put("num_rows", n)
                    .put("num_columns", 5);
            byName.forEach((sp, rows) -> ss.addObject().put("dataset", ds).put("config", c).put("split", sp)
                    .put("num_bytes_parquet_files", 1000L * rows.size()).put("num_bytes_memory", 2000L * rows.size())
                    .put("num_rows", rows.size()).put("num_columns", 5));
        });
        body.putArray("pending");
        body.putArray("failed");
        body.put("partial", false);
        return ok(body);
    }

    private MockResponse rows(HttpUrl url, String ds, Map<String, Map<String, List<ObjectNode>>> configs) {
        String config = url.queryParameter("config");
        String split = url.queryParameter("split");
        if (config == null || config.isEmpty() || split == null || split.isEmpty()) {
            return violation(422, "MissingRequiredParameter", "Parameter 'config' and 'split' are required");
        }
        long offset;
        int length;
        try {
            offset = Long.parseLong(url.queryParameter("offset") == null ? "0" : url.queryParameter("offset"));
            length = Integer.parseInt(url.queryParameter("length") == null ? "100" : url.queryParameter("length"));
        } catch (NumberFormatException e) {
            return violation(422, "InvalidParameter", "Parameter 'offset' and 'length' must be integer");
        }
        if (offset < 0) {
            return violation(422, "InvalidParameter", "Parameter 'offset' must be positive");
        }
        if (length < 0 || length > 100) {
            return violation(422, "InvalidParameter", "Parameter 'length' must not be greater than 100");
        }
        synchronized (rowsRequests) {
            rowsRequests.add(new RowsRequest(config, split, offset, length));
            rowsDatasets.add(ds);
        }
        Integer failure;
        synchronized (this) {
            failure = failures.get(config);
        }
        if (failure != null) {
            return error(failure, "UnexpectedApiError", "injected failure for config " + config);
        }
        List<ObjectNode> rows = configs.getOrDefault(config, Map.of()).get(split);
        if (rows == null) {
            return error(404, "ResponseNotFound", "Not found.");
        }
        ObjectNode body = JSON.createObjectNode();
        ArrayNode features = body.putArray("features");
        if (!rows.isEmpty()) {
            int i = 0;
            for (var it = rows.get(0).fieldNames(); it.hasNext(); ) {
                ObjectNode f = features.addObject();
                f.put("feature_idx", i++);
                String name = it.next();
                f.put("name", name);
                f.putObject("type").put("dtype", dtype(rows.get(0).get(name))).put("_type", "Value");
            }
        }
        ArrayNode out = body.putArray("rows");
        Set<String> cut = truncated.getOrDefault(config, Set.of());
        for (long i = offset; i < Math.min(rows.size(), offset + length); i++) {
            ObjectNode r = out.addObject();
            r.put("row_idx", i);
            r.set("row", rows.get((int) i));
            ArrayNode t = r.putArray("truncated_cells");
            for (String c : cut) {
                if (c.startsWith(i + ":")) {
                    t.add(c.substring(c.indexOf(':') + 1));
                }
            }
        }
        body.put("num_rows_total", rows.size());
        body.put("num_rows_per_page", 100);
        body.put("partial", false);
        return ok(body);
    }

    /**
     * One row of {@code HuggingFaceFW/fineweb-edu-score-2} as {@code /rows} gives it: the columns and types of the
     * dataset card's {@code dataset_info.features} ({@code text, id, dump, url, date, file_path, language} strings,
     * {@code language_score} float64, {@code token_count} int64, {@code score} float64, {@code int_score} int64),
     * the values made up. {@code text} null leaves the cell out.
     */
    public static ObjectNode finewebRow(String dump, long i, String text) {
        ObjectNode row = JSON.createObjectNode();
        if (text != null) {
            row.put("text", text);
        }
        return row.put("id", "<urn:uuid:00000000-0000-4000-8000-" + String.format("%012d", i) + ">")
                .put("dump", dump).put("url", "https://www.example.org/page/" + i)
                .put("date", "2024-02-21T10:00:00Z")
                .put("file_path", "s3://commoncrawl/crawl-data/" + dump + "/segments/1/warc/" + i + ".warc.gz")
                .put("language", "en").put("language_score", 0.95).put("token_count", 120L)
                .put("score", 2.75).put("int_score", 3L);
    }

    private static String dtype(com.fasterxml.jackson.databind.JsonNode cell) {
        if (cell == null || cell.isTextual()) return "string";
        if (cell.isIntegralNumber()) return "int64";
        if (cell.isNumber()) return "float64";
        return cell.isBoolean() ? "bool" : "string";
    }

    private static MockResponse ok(ObjectNode body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body(body.toString()).build();
    }

    private static MockResponse error(int status, String code, String message) {
        return errorBuilder(status, code, message).build();
    }

    private static MockResponse.Builder errorBuilder(int status, String code, String message) {
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json")
                .addHeader("X-Error-Code", code).body("{\"error\":" + JSON.valueToTree(message) + "}");
    }
}
