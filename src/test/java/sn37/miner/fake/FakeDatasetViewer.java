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
 * {@code rows.md}, libapi {@code request.py}): {@code GET /splits?dataset=} and {@code GET /rows} with
 * {@code offset >= 0} and {@code 0 <= length <= 100}, answers shaped as the real ones, error bodies
 * {@code {"error": ...}} with {@code X-Error-Code}. One dataset, one split per config named like the config (as
 * macrobench-bittensor-01). A wrong Bearer token is refused; configs can be made to fail.
 */
public final class FakeDatasetViewer implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One /rows request as received. */
    public record RowsRequest(String config, String split, long offset, int length) {}

    private final MockWebServer server = new MockWebServer();
    private final String dataset;
    private final String token;
    private final Map<String, List<ObjectNode>> configs = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, Integer> failures = new HashMap<>();
    private final Map<String, Set<Long>> truncated = new ConcurrentHashMap<>();
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
        configs.put(name, List.copyOf(rows));
        return this;
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
        truncated.computeIfAbsent(config, k -> ConcurrentHashMap.newKeySet()).add(rowIdx);
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
        String ds = url.queryParameter("dataset");
        if (ds == null || ds.isEmpty()) {
            return violation(422, "MissingRequiredParameter", "Parameter 'dataset' is required");
        }
        if (!ds.equals(dataset)) {
            return error(404, "ResponseNotFound", "Not found.");
        }
        return switch (url.encodedPath()) {
            case "/splits" -> splits();
            case "/rows" -> rows(url);
            default -> violation(404, "ResponseNotFound", "no such endpoint " + url.encodedPath());
        };
    }

    private synchronized MockResponse splits() {
        if (failSplits > 0) {
            failSplits--;
            return error(500, "UnexpectedApiError", "Unexpected error.");
        }
        ObjectNode body = JSON.createObjectNode();
        ArrayNode splits = body.putArray("splits");
        configs.keySet().forEach(c -> splits.addObject().put("dataset", dataset).put("config", c).put("split", c));
        body.putArray("pending");
        body.putArray("failed");
        return ok(body);
    }

    private MockResponse rows(HttpUrl url) {
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
        rowsRequests.add(new RowsRequest(config, split, offset, length));
        Integer failure;
        synchronized (this) {
            failure = failures.get(config);
        }
        if (failure != null) {
            return error(failure, "UnexpectedApiError", "injected failure for config " + config);
        }
        List<ObjectNode> rows = configs.get(config);
        if (rows == null || !split.equals(config)) {
            return error(404, "ResponseNotFound", "Not found.");
        }
        ObjectNode body = JSON.createObjectNode();
        ArrayNode features = body.putArray("features");
        if (!rows.isEmpty()) {
            int i = 0;
            for (var it = rows.get(0).fieldNames(); it.hasNext(); ) {
                ObjectNode f = features.addObject();
                f.put("feature_idx", i++);
                f.put("name", it.next());
                f.putObject("type").put("dtype", "string").put("_type", "Value");
            }
        }
        ArrayNode out = body.putArray("rows");
        Set<Long> cut = truncated.getOrDefault(config, Set.of());
        for (long i = offset; i < Math.min(rows.size(), offset + length); i++) {
            ObjectNode r = out.addObject();
            r.put("row_idx", i);
            r.set("row", rows.get((int) i));
            ArrayNode t = r.putArray("truncated_cells");
            if (cut.contains(i)) {
                t.add("challenge");
            }
        }
        body.put("num_rows_total", rows.size());
        body.put("num_rows_per_page", 100);
        body.put("partial", false);
        return ok(body);
    }

    private static MockResponse ok(ObjectNode body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body(body.toString()).build();
    }

    private static MockResponse error(int status, String code, String message) {
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json")
                .addHeader("X-Error-Code", code).body("{\"error\":" + JSON.valueToTree(message) + "}").build();
    }
}
