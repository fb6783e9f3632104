package sn37.miner.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.HttpUrl;
import okio.Buffer;

/**
 * A strict in-memory Hugging Face Hub on 127.0.0.1, speaking the protocol of platform.md §3. Its "CDN" and "S3"
 * (presigned LFS uploads and downloads) answer on the same port under the host name {@code localhost}, so a
 * redirect there is a cross-host redirect for the client. It refuses what the real Hub refuses, records every
 * protocol violation in {@link #violations()}, counts requests per {@link Kind}, and injects faults on demand.
 */
public final class FakeHub implements Closeable {
    public enum Kind {
        WHOAMI, CREATE_REPO, MODEL_INFO, TREE, COMMITS, PATHS_INFO, PREUPLOAD, COMMIT, SETTINGS,
        LFS_BATCH, LFS_VERIFY, LFS_COMPLETE, RESOLVE_HEAD, RESOLVE_GET,
        LFS_BASIC_PUT(true), LFS_PART_PUT(true), CDN_GET(true), UNKNOWN;

        final boolean presignedHost;

        Kind() {
            this(false);
        }

        Kind(boolean presignedHost) {
            this.presignedHost = presignedHost;
        }
    }

    public static final String USER = "miner";
    public static final String ORG = "sn37";
    private static final String PRESIGNED_HOST = "localhost";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private record Upload(String id, String repo, String oid, long size, long chunkSize, int partCount,
            Map<Integer, byte[]> parts, Map<Integer, String> etags) {}

    private record Fault(int status, Map<String, String> headers, boolean dropAfterHandling) {}

    private final MockWebServer server = new MockWebServer();
    private final String writeToken;
    private final String readToken;
    private final Map<String, FakeHubRepo> repos = new HashMap<>();
    private final Map<String, Upload> uploads = new HashMap<>();
    private final Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
    private final Map<Kind, List<RecordedRequest>> seen = new EnumMap<>(Kind.class);
    private final Map<Kind, Deque<Fault>> faults = new EnumMap<>(Kind.class);
    private final Map<Kind, Runnable> afterHandling = new EnumMap<>(Kind.class);
    private final Map<String, Integer> partPuts = new HashMap<>();
    private final Map<String, Integer> basicPuts = new HashMap<>();
    private final Set<String> acceptedParts = new HashSet<>();
    private final Set<String> expiredUploads = new HashSet<>();
    private int resentParts;
    private boolean keepRequests = true;
    private final Map<String, Map.Entry<Integer, String>> rejectedObjects = new HashMap<>();
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private int requestCounter;
    private int uploadCounter;
    private long chunkSize = 64 * 1024;
    private long multipartThreshold = 128 * 1024;
    private long lfsThreshold = 10 * 1024;
    private int pageSize = 2;
    private double truncateNextDownloadAt = -1;
    private int corruptOffset = -1;
    private boolean ignoreNextRange;

    private FakeHub(String writeToken, String readToken) {
        this.writeToken = writeToken;
        this.readToken = readToken;
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return FakeHub.this.dispatch(request);
            }
        });
    }

    /** Starts a fake that accepts {@code writeToken} for everything and {@code readToken} for reads only. */
    public static FakeHub start(String writeToken, String readToken) throws IOException {
        FakeHub hub = new FakeHub(writeToken, readToken);
        hub.server.start(InetAddress.getByName("127.0.0.1"), 0);
        return FakeViolations.watch(hub, hub::violations);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getPort();
    }

    @Override
    public void close() {
        server.close();
    }

    // ---- configuration and state, for tests ----

    public synchronized FakeHub chunkSize(long bytes) {
        this.chunkSize = bytes;
        return this;
    }

    public synchronized long chunkSize() {
        return chunkSize;
    }

    public synchronized FakeHub multipartThreshold(long bytes) {
        this.multipartThreshold = bytes;
        return this;
    }

    public synchronized FakeHub lfsThreshold(long bytes) {
        this.lfsThreshold = bytes;
        return this;
    }

    public synchronized FakeHub pageSize(int items) {
        this.pageSize = items;
        return this;
    }

    public synchronized void createRepo(String id, boolean isPrivate) {
        repos.put(id, new FakeHubRepo(id, isPrivate));
    }

    public synchronized void setGated(String id) {
        repo(id).gated = true;
    }

    /** Commits files directly, as if someone else had pushed them. */
    public synchronized String seedCommit(String id, Map<String, byte[]> regular, Map<String, byte[]> lfs) {
        FakeHubRepo repo = repo(id);
        Map<String, FakeHubRepo.Blob> files = new TreeMap<>(repo.head().files());
        regular.forEach((path, data) -> files.put(path, new FakeHubRepo.Blob(data, false)));
        lfs.forEach((path, data) -> {
            FakeHubRepo.Blob blob = new FakeHubRepo.Blob(data, true);
            repo.lfsStore.put(blob.sha256(), data);
            files.put(path, blob);
        });
        return repo.commit("seed", files).id();
    }

    /** Stores an LFS object without committing it, as an upload that crashed before its commit leaves it. */
    public synchronized void seedLfsObject(String id, byte[] data) {
        repo(id).lfsStore.put(FakeHubRepo.hex("SHA-256", data), data);
    }

    public synchronized String head(String id) {
        return repo(id).head().id();
    }

    /** Files at the head, without the .gitattributes every new repo starts with. */
    public synchronized Map<String, byte[]> headFiles(String id) {
        Map<String, byte[]> files = new TreeMap<>();
        repo(id).head().files().forEach((path, blob) -> {
            if (!path.equals(".gitattributes")) {
                files.put(path, blob.data());
            }
        });
        return files;
    }

    public synchronized boolean isLfs(String id, String path) {
        return repo(id).head().files().get(path).lfs();
    }

    public synchronized boolean isPrivate(String id) {
        return repo(id).isPrivate;
    }

    public synchronized boolean exists(String id) {
        return repos.containsKey(id);
    }

    /** Commits made through the commit API (seeds excluded). */
    public synchronized int commitsApplied(String id) {
        return (int) repo(id).commits.stream().filter(c -> !c.title().equals("seed") && c.parent() != null).count();
    }

    public synchronized int count(Kind kind) {
        return counts.getOrDefault(kind, 0);
    }

    /** Requests of every kind this fake has answered. */
    public synchronized int totalRequests() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    public synchronized List<RecordedRequest> requests(Kind kind) {
        return List.copyOf(seen.getOrDefault(kind, List.of()));
    }

    public synchronized int partPuts(String oid) {
        return partPuts.getOrDefault(oid, 0);
    }

    public synchronized int basicPuts(String oid) {
        return basicPuts.getOrDefault(oid, 0);
    }

    /** Part PUTs whose part (object and number) the storage had already accepted once: work a resume repeated. */
    public synchronized int resentParts() {
        return resentParts;
    }

    /** With false, requests are counted but not kept, so a benchmark's gigabytes of part bodies can be collected. */
    public synchronized FakeHub keepRequests(boolean keep) {
        this.keepRequests = keep;
        return this;
    }

    public List<String> violations() {
        return List.copyOf(violations);
    }

    // ---- faults ----

    /** The next {@code times} requests of {@code kind} get {@code status} without being processed. */
    public synchronized void failNext(Kind kind, int status, int times) {
        for (int i = 0; i < times; i++) {
            faults.computeIfAbsent(kind, k -> new ArrayDeque<>()).add(new Fault(status, Map.of(), false));
        }
    }

    /** The next request of {@code kind} is throttled: 429 with {@code RateLimit: "api";r=0;t=resetSeconds}. */
    public synchronized void rateLimitNext(Kind kind, int resetSeconds) {
        faults.computeIfAbsent(kind, k -> new ArrayDeque<>()).add(new Fault(429, Map.of(
                "RateLimit", "\"api\";r=0;t=" + resetSeconds,
                "RateLimit-Policy", "\"fixed window\";\"api\";q=500;w=300"), false));
    }

    /** The next request of {@code kind} is processed (state changes) but its connection drops before the answer. */
    public synchronized void dropResponseNext(Kind kind) {
        faults.computeIfAbsent(kind, k -> new ArrayDeque<>()).add(new Fault(0, Map.of(), true));
    }

    /** The next download answer stops at {@code fraction} of the file and the connection closes. */
    public synchronized void truncateNextDownload(double fraction) {
        this.truncateNextDownloadAt = fraction;
    }

    /** Every download from now on has the byte at {@code offset} flipped. */
    public synchronized void corruptDownloadsAt(int offset) {
        this.corruptOffset = offset;
    }

    /** The next Range request is answered 200 with the whole file, as a server that ignores Range does. */
    public synchronized void ignoreNextRange() {
        this.ignoreNextRange = true;
    }

    /**
     * Every multipart upload begun so far expires, as presigned URLs do: its part PUTs get 403 AccessDenied and its
     * completion 404 NoSuchUpload.
     */
    public synchronized void expireUploads() {
        expiredUploads.addAll(uploads.keySet());
    }

    /** The LFS batch answers a per-object error for {@code oid}. */
    public synchronized void rejectLfsObject(String oid, int code, String message) {
        rejectedObjects.put(oid, Map.entry(code, message));
    }

    /**
     * Runs {@code action} once, after the next request of {@code kind} has changed the fake's state and before its
     * answer is sent (a crash test kills the client there).
     */
    public synchronized void onHandled(Kind kind, Runnable action) {
        afterHandling.put(kind, action);
    }

    // ---- dispatch ----

    private synchronized MockResponse dispatch(RecordedRequest request) {
        String requestId = "req-" + (++requestCounter);
        Kind kind = classify(request);
        counts.merge(kind, 1, Integer::sum);
        if (keepRequests) {
            seen.computeIfAbsent(kind, k -> new ArrayList<>()).add(request);
        }
        MockResponse.Builder response;
        try {
            response = handle(kind, request);
        } catch (RuntimeException | IOException e) {
            violations.add("fake hub could not handle " + request.getRequestLine() + ": " + e);
            response = error(400, null, "bad request: " + e.getMessage());
        }
        Runnable action = afterHandling.remove(kind);
        if (action != null) {
            action.run();
        }
        if ("HEAD".equals(request.getMethod())) {
            MockResponse built = response.build();
            if (built.getBody() != null && built.getBody().getContentLength() > 0) {
                String length = built.getHeaders().get("Content-Length");
                response = built.newBuilder().body(new Buffer()).setHeader("Content-Length", length);
            }
        }
        return response.setHeader("X-Request-Id", requestId).build();
    }

    private MockResponse.Builder handle(Kind kind, RecordedRequest request) throws IOException {
        boolean presignedHost = PRESIGNED_HOST.equals(host(request));
        if (kind == Kind.UNKNOWN || presignedHost != kind.presignedHost) {
            violations.add("no such endpoint on host " + host(request) + ": " + request.getRequestLine());
            return error(404, null, "Not Found");
        }
        if ((kind.presignedHost || kind == Kind.LFS_COMPLETE) && header(request, "Authorization") != null) {
            violations.add("Authorization sent to a presigned URL: " + request.getRequestLine());
            return error(400, null, "Only one auth mechanism allowed; a presigned URL needs no Authorization header");
        }
        Deque<Fault> queue = faults.get(kind);
        Fault fault = queue == null ? null : queue.poll();
        if (fault != null && !fault.dropAfterHandling()) {
            MockResponse.Builder failed = error(fault.status(), null, "injected failure");
            fault.headers().forEach(failed::setHeader);
            return failed;
        }
        MockResponse.Builder response = route(kind, request);
        if (fault != null) {
            return response.onResponseStart(new SocketEffect.CloseSocket());
        }
        return response;
    }

    private static Kind classify(RecordedRequest request) {
        List<String> s = request.getUrl().pathSegments();
        String method = request.getMethod();
        if (PRESIGNED_HOST.equals(host(request))) {
            if (s.size() == 3 && s.get(0).equals("s3") && s.get(1).equals("upload") && "PUT".equals(method)) {
                return Kind.LFS_BASIC_PUT;
            }
            if (s.size() == 4 && s.get(0).equals("s3") && s.get(1).equals("part") && "PUT".equals(method)) {
                return Kind.LFS_PART_PUT;
            }
            if (s.size() == 4 && s.get(0).equals("cdn") && "GET".equals(method)) {
                return Kind.CDN_GET;
            }
            return Kind.UNKNOWN;
        }
        if (s.equals(List.of("api", "whoami-v2")) && "GET".equals(method)) {
            return Kind.WHOAMI;
        }
        if (s.equals(List.of("api", "repos", "create")) && "POST".equals(method)) {
            return Kind.CREATE_REPO;
        }
        if (s.equals(List.of("api", "complete_multipart")) && "POST".equals(method)) {
            return Kind.LFS_COMPLETE;
        }
        if (s.size() == 6 && s.get(0).equals("api") && s.get(1).equals("models")) {
            String key = s.get(4) + " " + method;
            switch (key) {
                case "revision GET": return Kind.MODEL_INFO;
                case "tree GET": return Kind.TREE;
                case "commits GET": return Kind.COMMITS;
                case "paths-info POST": return Kind.PATHS_INFO;
                case "preupload POST": return Kind.PREUPLOAD;
                case "commit POST": return Kind.COMMIT;
                default: return Kind.UNKNOWN;
            }
        }
        if (s.size() == 5 && s.get(0).equals("api") && s.get(4).equals("settings") && "PUT".equals(method)) {
            return Kind.SETTINGS;
        }
        if (s.size() == 6 && s.get(1).endsWith(".git") && s.subList(2, 5).equals(List.of("info", "lfs", "objects"))
                && "POST".equals(method)) {
            return s.get(5).equals("batch") ? Kind.LFS_BATCH : s.get(5).equals("verify") ? Kind.LFS_VERIFY : Kind.UNKNOWN;
        }
        if (s.size() >= 5 && s.get(2).equals("resolve")) {
            return "HEAD".equals(method) ? Kind.RESOLVE_HEAD : "GET".equals(method) ? Kind.RESOLVE_GET : Kind.UNKNOWN;
        }
        return Kind.UNKNOWN;
    }

    private MockResponse.Builder route(Kind kind, RecordedRequest request) throws IOException {
        List<String> s = request.getUrl().pathSegments();
        switch (kind) {
            case WHOAMI: return whoami(request);
            case CREATE_REPO: return createRepo(request);
            case MODEL_INFO: return modelInfo(request, s.get(2) + "/" + s.get(3), s.get(5));
            case TREE: return tree(request, s.get(2) + "/" + s.get(3), s.get(5));
            case COMMITS: return commits(request, s.get(2) + "/" + s.get(3), s.get(5));
            case PATHS_INFO: return pathsInfo(request, s.get(2) + "/" + s.get(3), s.get(5));
            case PREUPLOAD: return preupload(request, s.get(2) + "/" + s.get(3), s.get(5));
            case COMMIT: return commit(request, s.get(2) + "/" + s.get(3), s.get(5));
            case SETTINGS: return settings(request, s.get(2) + "/" + s.get(3));
            case LFS_BATCH: return batch(request, s.get(0) + "/" + s.get(1).substring(0, s.get(1).length() - 4));
            case LFS_VERIFY: return verify(request, s.get(0) + "/" + s.get(1).substring(0, s.get(1).length() - 4));
            case LFS_COMPLETE: return complete(request);
            case LFS_BASIC_PUT: return basicPut(request, s.get(2));
            case LFS_PART_PUT: return partPut(request, s.get(2), Integer.parseInt(s.get(3)));
            case CDN_GET: return cdnGet(request, s.get(1) + "/" + s.get(2), s.get(3));
            case RESOLVE_HEAD:
            case RESOLVE_GET:
                return resolve(request, s.get(0) + "/" + s.get(1), s.get(3), String.join("/", s.subList(4, s.size())));
            default: return error(404, null, "Not Found");
        }
    }

    // ---- auth ----

    private enum Need { READ, WRITE }

    /** Null when allowed; otherwise the answer the Hub gives. {@code repo} may be null for account-level calls. */
    private MockResponse.Builder denied(RecordedRequest request, FakeHubRepo repo, String repoId, Need need) {
        String auth = header(request, "Authorization");
        if (auth != null && !(auth.equals("Bearer " + writeToken) || auth.equals("Bearer " + readToken))) {
            return error(401, null, "Invalid credentials in Authorization header")
                    .setHeader("X-Error-Message", "Invalid credentials in Authorization header");
        }
        if (repoId != null && repo == null) {
            return auth == null ? error(401, "RepoNotFound", "Repository not found")
                    : error(404, "RepoNotFound", "Repository not found");
        }
        if (auth == null && (need == Need.WRITE || repo == null || repo.isPrivate)) {
            return repo == null ? error(401, null, "Invalid username or password.")
                    : error(401, "RepoNotFound", "Repository not found");
        }
        if (need == Need.WRITE && auth.equals("Bearer " + readToken)) {
            return error(403, null, "You don't have the rights to write to " + (repoId == null ? "this namespace" : repoId)
                    + ": the token is read-only");
        }
        return null;
    }

    private MockResponse.Builder checkContentType(RecordedRequest request, String... allowed) {
        String type = header(request, "Content-Type");
        if (type == null || !Arrays.asList(allowed).contains(type)) {
            violations.add("wrong Content-Type '" + type + "' for " + request.getRequestLine());
            return error(400, null, "Content-Type must be " + String.join(" or ", allowed) + ", got " + type);
        }
        return null;
    }

    // ---- account and repos ----

    private MockResponse.Builder whoami(RecordedRequest request) {
        String auth = header(request, "Authorization");
        MockResponse.Builder no = denied(request, null, null, Need.READ);
        if (no != null || auth == null) {
            return no != null ? no : error(401, null, "Invalid username or password.");
        }
        ObjectNode body = JSON.createObjectNode().put("type", "user").put("name", USER);
        body.putArray("orgs").addObject().put("name", ORG);
        body.putObject("auth").put("type", "access_token").putObject("accessToken")
                .put("displayName", "test").put("role", auth.equals("Bearer " + writeToken) ? "write" : "read");
        return json(200, body);
    }

    private MockResponse.Builder createRepo(RecordedRequest request) throws IOException {
        MockResponse.Builder no = denied(request, null, null, Need.WRITE);
        if (no == null) {
            no = checkContentType(request, "application/json");
        }
        if (no != null) {
            return no;
        }
        JsonNode body = JSON.readTree(request.getBody().utf8());
        String namespace = body.path("organization").asText(USER);
        String name = body.path("name").asText("");
        if (!"model".equals(body.path("type").asText("model")) || name.isEmpty() || !body.has("private")) {
            return error(400, null, "expected type model, a name and private");
        }
        if (!namespace.equals(USER) && !namespace.equals(ORG)) {
            return error(403, null, "You don't have the rights to create a model under the namespace \"" + namespace + "\"");
        }
        String id = namespace + "/" + name;
        ObjectNode answer = JSON.createObjectNode().put("url", endpoint() + "/" + id);
        if (repos.containsKey(id)) {
            return json(409, answer.put("error", "You already created this model repo"));
        }
        repos.put(id, new FakeHubRepo(id, body.path("private").asBoolean()));
        return json(200, answer.put("name", id));
    }

    private MockResponse.Builder settings(RecordedRequest request, String id) throws IOException {
        FakeHubRepo repo = repos.get(id);
        MockResponse.Builder no = denied(request, repo, id, Need.WRITE);
        if (no == null) {
            no = checkContentType(request, "application/json");
        }
        if (no != null) {
            return no;
        }
        JsonNode body = JSON.readTree(request.getBody().utf8());
        if (!body.has("private") || !body.get("private").isBoolean()) {
            return error(400, null, "expected {\"private\": boolean}");
        }
        repo.isPrivate = body.get("private").asBoolean();
        return json(200, JSON.createObjectNode());
    }

    private MockResponse.Builder modelInfo(RecordedRequest request, String id, String revision) {
        FakeHubRepo repo = repos.get(id);
        MockResponse.Builder no = denied(request, repo, id, Need.READ);
        if (no != null) {
            return no;
        }
        FakeHubRepo.Commit commit = repo.resolve(revision);
        if (commit == null) {
            return error(404, "RevisionNotFound", "Invalid rev id: " + revision);
        }
        boolean blobs = "true".equals(request.getUrl().queryParameter("blobs"));
        ObjectNode body = JSON.createObjectNode().put("_id", "x").put("id", id).put("sha", commit.id())
                .put("private", repo.isPrivate).put("gated", repo.gated);
        ArrayNode siblings = body.putArray("siblings");
        commit.files().forEach((path, blob) -> {
            ObjectNode s = siblings.addObject().put("rfilename", path);
            if (blobs) {
                s.put("size", blob.data().length).put("blobId", blob.blobId());
                if (blob.lfs()) {
                    s.putObject("lfs").put("sha256", blob.sha256()).put("size", blob.data().length)
                            .put("pointerSize", blob.pointer().length());
                }
            }
        });
        return json(200, body);
    }

    private MockResponse.Builder tree(RecordedRequest request, String id, String revision) {
        FakeHubRepo repo = repos.get(id);
        MockResponse.Builder no = denied(request, repo, id, Need.READ);
        if (no != null) {
            return no;
        }
        FakeHubRepo.Commit commit = repo.resolve(revision);
        if (commit == null) {
            return error(404, "RevisionNotFound", "Invalid rev id: " + revision);
        }
        if (!"true".equals(request.getUrl().queryParameter("recursive"))) {
            violations.add("tree listing without recursive=true");
        }
        List<ObjectNode> items = new ArrayList<>();
        Set<String> dirs = new TreeSet<>();
        commit.files().keySet().forEach(path -> {
            for (int i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
                dirs.add(path.substring(0, i));
            }
        });
        dirs.forEach(d -> items.add(JSON.createObjectNode().put("type", "directory").put("oid", "0".repeat(40))
                .put("size", 0).put("path", d)));
        commit.files().forEach((path, blob) -> items.add(fileItem(path, blob)));
        return page(request, items);
    }

    private MockResponse.Builder commits(RecordedRequest request, String id, String revision) {
        FakeHubRepo repo = repos.get(id);
        MockResponse.Builder no = denied(request, repo, id, Need.READ);
        if (no != null) {
            return no;
        }
        FakeHubRepo.Commit commit = repo.resolve(revision);
        if (commit == null) {
            return error(404, "RevisionNotFound", "Invalid rev id: " + revision);
        }
        List<ObjectNode> items = new ArrayList<>();
        for (String at = commit.id(); at != null; ) {
            FakeHubRepo.Commit c = repo.resolve(at);
            ObjectNode item = JSON.createObjectNode().put("id", c.id()).put("title", c.title()).put("message", "")
                    .put("date", "2026-11-24T00:00:00.000Z");
            item.putArray("authors").addObject().put("user", USER);
            items.add(item);
            at = c.parent();
        }
        return page(request, items);
    }

    private MockResponse.Builder page(RecordedRequest request, List<ObjectNode> items) {
        String cursorParam = request.getUrl().queryParameter("cursor");
        int from = cursorParam == null ? 0 : Integer.parseInt(cursorParam);
        int to = Math.min(items.size(), from + pageSize);
        ArrayNode body = JSON.createArrayNode();
        items.subList(from, to).forEach(body::add);
        MockResponse.Builder response = json(200, body);
        if (to < items.size()) {
            HttpUrl next = HttpUrl.get(endpoint()).newBuilder().encodedPath(request.getUrl().encodedPath())
                    .encodedQuery(request.getUrl().encodedQuery()).setQueryParameter("cursor", String.valueOf(to))
                    .build();
            response.addHeader("Link", "<" + next + ">; rel=\"next\"");
        }
        return response;
    }

    private MockResponse.Builder pathsInfo(RecordedRequest request, String id, String revision) {
        FakeHubRepo repo = repos.get(id);
        MockResponse.Builder no = denied(request, repo, id, Need.READ);
        if (no == null) {
            no = checkContentType(request, "application/x-www-form-urlencoded");
        }
        if (no != null) {
            return no;
        }
        FakeHubRepo.Commit commit = repo.resolve(revision);
        if (commit == null) {
            return error(404, "RevisionNotFound", "Invalid rev id: " + revision);
        }
        HttpUrl form = HttpUrl.get("http://form/?" + request.getBody().utf8());
        ArrayNode body = JSON.createArrayNode();
        for (String path : form.queryParameterValues("paths")) {
            FakeHubRepo.Blob blob = commit.files().get(path);
            if (blob != null) {
                body.add(fileItem(path, blob));
            }
        }
        return json(200, body);
    }

    private static ObjectNode fileItem(String path, FakeHubRepo.Blob blob) {
        ObjectNode item = JSON.createObjectNode().put("type", "file").put("oid", blob.blobId())
                .put("size", blob.data().length).put("path", path);
        if (blob.lfs()) {
            item.putObject("lfs").put("oid", blob.sha256()).put("size", blob.data().length)
                    .put("pointerSize", blob.pointer().length());
        }
        return item;
    }

    // ---- upload: preupload, LFS, commit ----

    private MockResponse.Builder preupload(RecordedRequest request, String id, String revision) throws IOException {
        FakeHubRepo repo = repos.get(id);
        MockResponse.Builder no = denied(request, repo, id, Need.WRITE);
        if (no == null) {
            no = checkContentType(request, "application/json");
        }
        if (no != null) {
            return no;
        }
        FakeHubRepo.Commit commit = repo.resolve(revision);
        if (commit == null) {
            return error(404, "RevisionNotFound", "Invalid rev id: " + revision);
        }
        JsonNode files = JSON.readTree(request.getBody().utf8()).path("files");
        if (files.size() > 256) {
            violations.add("preupload of " + files.size() + " files in one call");
            return error(400, null, "too many files in one preupload call (max 256)");
        }
        ObjectNode body = JSON.createObjectNode();
        ArrayNode answers = body.putArray("files");
        for (JsonNode f : files) {
            String path = f.path("path").asText();
            long size = f.path("size").asLong(-1);
            int sampleLength = Base64.getDecoder().decode(f.path("sample").asText()).length;
            if (path.isEmpty() || size < 0 || sampleLength != Math.min(512, size)) {
                violations.add("bad preupload entry " + f);
                return error(400, null, "each file needs a path, a size and a sample of its first 512 bytes");
            }
            boolean lfs = size > 0 && (path.endsWith(".safetensors") || path.endsWith(".bin") || size >= lfsThreshold);
            ObjectNode answer = answers.addObject().put("path", path).put("uploadMode", lfs ? "lfs" : "regular")
                    .put("shouldIgnore", false);
            FakeHubRepo.Blob existing = commit.files().get(path);
            if (existing != null) {
                answer.put("oid", existing.oid());
            }
        }
        body.put("commitOid", commit.id());
        return json(200, body);
    }

    private MockResponse.Builder batch(RecordedRequest request, String id) throws IOException {
        FakeHubRepo repo = repos.get(id);
        MockResponse.Builder no = denied(request, repo, id, Need.WRITE);
        if (no == null) {
            no = checkContentType(request, "application/vnd.git-lfs+json");
        }
        if (no == null && !"application/vnd.git-lfs+json".equals(header(request, "Accept"))) {
            violations.add("LFS batch without Accept: application/vnd.git-lfs+json");
            no = error(406, null, "Accept must be application/vnd.git-lfs+json");
        }
        if (no != null) {
            return no;
        }
        JsonNode body = JSON.readTree(request.getBody().utf8());
        boolean transfersOk = false;
        for (JsonNode t : body.path("transfers")) {
            transfersOk |= t.asText().equals("basic");
        }
        if (!"upload".equals(body.path("operation").asText()) || !"sha256".equals(body.path("hash_algo").asText())
                || !transfersOk || body.path("objects").size() > 256 || body.path("ref").path("name").isMissingNode()) {
            violations.add("malformed LFS batch " + body);
            return error(422, null, "malformed batch request");
        }
        boolean multipartUsed = false;
        ArrayNode objects = JSON.createArrayNode();
        for (JsonNode o : body.path("objects")) {
            String oid = o.path("oid").asText();
            long size = o.path("size").asLong(-1);
            ObjectNode answer = objects.addObject().put("oid", oid).put("size", size);
            Map.Entry<Integer, String> rejection = rejectedObjects.get(oid);
            if (!SHA256.matcher(oid).matches() || size < 0 || rejection != null) {
                answer.putObject("error").put("code", rejection == null ? 422 : rejection.getKey())
                        .put("message", rejection == null ? "invalid object" : rejection.getValue());
                continue;
            }
            if (repo.lfsStore.containsKey(oid)) {
                continue;
            }
            String uploadId = "u" + (++uploadCounter);
            ObjectNode actions = answer.putObject("actions");
            if (size >= multipartThreshold) {
                multipartUsed = true;
                int parts = (int) ((size + chunkSize - 1) / chunkSize);
                uploads.put(uploadId, new Upload(uploadId, id, oid, size, chunkSize, parts, new HashMap<>(), new HashMap<>()));
                ObjectNode upload = actions.putObject("upload")
                        .put("href", endpoint() + "/api/complete_multipart?uploadId=" + uploadId + "&signature=sig");
                ObjectNode header = upload.putObject("header").put("chunk_size", String.valueOf(chunkSize));
                for (int p = 1; p <= parts; p++) {
                    header.put(String.format("%05d", p), presigned("/s3/part/" + uploadId + "/" + p));
                }
            } else {
                uploads.put(uploadId, new Upload(uploadId, id, oid, size, 0, 1, new HashMap<>(), new HashMap<>()));
                actions.putObject("upload").put("href", presigned("/s3/upload/" + uploadId));
                actions.putObject("verify").put("href", endpoint() + "/" + id + ".git/info/lfs/objects/verify");
            }
        }
        ObjectNode answer = JSON.createObjectNode().put("transfer", multipartUsed ? "multipart" : "basic");
        answer.set("objects", objects);
        return json(200, answer).setHeader("Content-Type", "application/vnd.git-lfs+json");
    }

    private MockResponse.Builder basicPut(RecordedRequest request, String uploadId) {
        Upload upload = uploads.get(uploadId);
        if (upload == null || upload.chunkSize() != 0) {
            return error(404, null, "NoSuchUpload");
        }
        byte[] data = request.getBody().toByteArray();
        basicPuts.merge(upload.oid(), 1, Integer::sum);
        if (data.length != upload.size() || !FakeHubRepo.hex("SHA-256", data).equals(upload.oid())) {
            violations.add("basic upload of " + upload.oid() + " has other bytes");
            return error(400, null, "BadDigest");
        }
        repos.get(upload.repo()).lfsStore.put(upload.oid(), data);
        return new MockResponse.Builder().code(200).setHeader("ETag", "\"" + FakeHubRepo.hex("MD5", data) + "\"");
    }

    private MockResponse.Builder partPut(RecordedRequest request, String uploadId, int part) {
        Upload upload = uploads.get(uploadId);
        if (upload == null || upload.chunkSize() == 0 || part < 1 || part > upload.partCount()) {
            return error(404, null, "NoSuchUpload");
        }
        if (expiredUploads.contains(uploadId)) {
            return error(403, null, "AccessDenied: Request has expired");
        }
        byte[] data = request.getBody().toByteArray();
        partPuts.merge(upload.oid(), 1, Integer::sum);
        long expected = part < upload.partCount() ? upload.chunkSize()
                : upload.size() - (long) (upload.partCount() - 1) * upload.chunkSize();
        if (data.length != expected) {
            violations.add("part " + part + " of " + upload.oid() + " has " + data.length + " bytes, expected " + expected);
            return error(400, null, "EntityTooSmall");
        }
        String etag = "\"" + FakeHubRepo.hex("MD5", data) + "\"";
        upload.parts().put(part, data);
        upload.etags().put(part, etag);
        if (!acceptedParts.add(upload.oid() + "#" + part)) {
            resentParts++;
        }
        return new MockResponse.Builder().code(200).setHeader("ETag", etag);
    }

    private MockResponse.Builder complete(RecordedRequest request) throws IOException {
        MockResponse.Builder no = checkContentType(request, "application/vnd.git-lfs+json");
        if (no != null) {
            return no;
        }
        Upload upload = uploads.get(request.getUrl().queryParameter("uploadId"));
        if (upload == null || upload.chunkSize() == 0 || expiredUploads.contains(upload.id())) {
            return error(404, null, "NoSuchUpload");
        }
        FakeHubRepo repo = repos.get(upload.repo());
        if (repo.lfsStore.containsKey(upload.oid())) {
            return json(200, JSON.createObjectNode());
        }
        JsonNode body = JSON.readTree(request.getBody().utf8());
        JsonNode parts = body.path("parts");
        if (!upload.oid().equals(body.path("oid").asText()) || parts.size() != upload.partCount()) {
            violations.add("completion of " + upload.oid() + " with oid/parts " + body);
            return error(400, null, "InvalidPart: expected " + upload.partCount() + " parts for " + upload.oid());
        }
        Buffer all = new Buffer();
        for (int i = 0; i < parts.size(); i++) {
            JsonNode p = parts.get(i);
            int number = p.path("partNumber").asInt();
            String etag = upload.etags().get(number);
            if (number != i + 1 || etag == null || !etag.equals(p.path("etag").asText())) {
                violations.add("completion of " + upload.oid() + " with a missing or wrong ETag for part " + number);
                return error(400, null, "InvalidPart: part " + number + " is missing or its ETag does not match");
            }
            all.write(upload.parts().get(number));
        }
        byte[] data = all.readByteArray();
        if (!FakeHubRepo.hex("SHA-256", data).equals(upload.oid())) {
            violations.add("multipart upload of " + upload.oid() + " assembles to other bytes");
            return error(400, null, "assembled object does not match its oid");
        }
        repo.lfsStore.put(upload.oid(), data);
        return json(200, JSON.createObjectNode());
    }

    private MockResponse.Builder verify(RecordedRequest request, String id) throws IOException {
        FakeHubRepo repo = repos.get(id);
        MockResponse.Builder no = denied(request, repo, id, Need.WRITE);
        if (no == null) {
            no = checkContentType(request, "application/json", "application/vnd.git-lfs+json");
        }
        if (no != null) {
            return no;
        }
        JsonNode body = JSON.readTree(request.getBody().utf8());
        byte[] stored = repo.lfsStore.get(body.path("oid").asText());
        if (stored == null || stored.length != body.path("size").asLong(-1)) {
            return error(404, null, "Object not found");
        }
        return json(200, JSON.createObjectNode());
    }

    private MockResponse.Builder commit(RecordedRequest request, String id, String revision) throws IOException {
        FakeHubRepo repo = repos.get(id);
        MockResponse.Builder no = denied(request, repo, id, Need.WRITE);
        if (no == null) {
            no = checkContentType(request, "application/x-ndjson");
        }
        if (no != null) {
            return no;
        }
        if (!"main".equals(revision)) {
            return error(404, "RevisionNotFound", "Invalid rev id: " + revision);
        }
        String[] lines = request.getBody().utf8().split("\n");
        JsonNode header = JSON.readTree(lines[0]);
        if (!"header".equals(header.path("key").asText()) || header.path("value").path("summary").asText("").isEmpty()) {
            violations.add("commit without a header line with a summary");
            return error(400, null, "the first line must be the header, with a summary");
        }
        String parent = header.path("value").path("parentCommit").asText(null);
        if (parent != null && !parent.equals(repo.head().id())) {
            return error(412, null, "A commit has happened since. Please refresh and try again.");
        }
        Map<String, FakeHubRepo.Blob> files = new TreeMap<>(repo.head().files());
        Set<String> touched = new TreeSet<>();
        for (int i = 1; i < lines.length; i++) {
            JsonNode line = JSON.readTree(lines[i]);
            JsonNode value = line.path("value");
            String path = value.path("path").asText("");
            if (path.isEmpty() || !touched.add(path)) {
                violations.add("commit line without a path or touching a path twice: " + lines[i]);
                return error(400, null, "each line needs a distinct path");
            }
            switch (line.path("key").asText()) {
                case "file" -> {
                    if (!"base64".equals(value.path("encoding").asText())) {
                        return error(400, null, "file encoding must be base64");
                    }
                    files.put(path, new FakeHubRepo.Blob(Base64.getDecoder().decode(value.path("content").asText()), false));
                }
                case "lfsFile" -> {
                    byte[] data = repo.lfsStore.get(value.path("oid").asText());
                    if (!"sha256".equals(value.path("algo").asText()) || data == null
                            || data.length != value.path("size").asLong(-1)) {
                        violations.add("lfsFile line for an object never uploaded: " + lines[i]);
                        return error(400, null, "Your push was rejected because an LFS pointer pointed to a file"
                                + " that does not exist: " + path);
                    }
                    files.put(path, new FakeHubRepo.Blob(data, true));
                }
                case "deletedFile" -> {
                    if (files.remove(path) == null) {
                        return error(404, "EntryNotFound", "cannot delete " + path + ": no such file");
                    }
                }
                default -> {
                    violations.add("unknown commit line " + lines[i]);
                    return error(400, null, "unknown line key " + line.path("key").asText());
                }
            }
        }
        FakeHubRepo.Commit commit = repo.commit(header.path("value").path("summary").asText(), files);
        ObjectNode body = JSON.createObjectNode().put("success", true).put("commitOid", commit.id())
                .put("commitUrl", endpoint() + "/" + id + "/commit/" + commit.id()).put("hookOutput", "");
        return json(200, body);
    }

    // ---- download ----

    private MockResponse.Builder resolve(RecordedRequest request, String id, String revision, String path) {
        FakeHubRepo repo = repos.get(id);
        MockResponse.Builder no = denied(request, repo, id, Need.READ);
        if (no != null) {
            return no;
        }
        if (repo.gated) {
            return error(403, "GatedRepo", "Access to model " + id + " is restricted. You must accept the conditions.");
        }
        FakeHubRepo.Commit commit = repo.resolve(revision);
        if (commit == null) {
            return error(404, "RevisionNotFound", "Invalid rev id: " + revision);
        }
        FakeHubRepo.Blob blob = commit.files().get(path);
        if (blob == null) {
            return error(404, "EntryNotFound", "Entry not found").setHeader("X-Repo-Commit", commit.id());
        }
        if (blob.lfs()) {
            return new MockResponse.Builder().code(302)
                    .setHeader("Location", presigned("/cdn/" + id + "/" + blob.sha256()))
                    .setHeader("X-Linked-Etag", "\"" + blob.sha256() + "\"")
                    .setHeader("X-Linked-Size", blob.data().length)
                    .setHeader("ETag", "\"" + blob.blobId() + "\"")
                    .setHeader("X-Repo-Commit", commit.id());
        }
        MockResponse.Builder response = "HEAD".equals(request.getMethod())
                ? new MockResponse.Builder().code(200).setHeader("Content-Length", blob.data().length)
                : serve(request, blob.data());
        return response.setHeader("ETag", "\"" + blob.gitSha1() + "\"").setHeader("X-Repo-Commit", commit.id());
    }

    private MockResponse.Builder cdnGet(RecordedRequest request, String id, String oid) {
        FakeHubRepo repo = repos.get(id);
        byte[] data = repo == null ? null : repo.lfsStore.get(oid);
        if (data == null || !"sig".equals(request.getUrl().queryParameter("X-Amz-Signature"))) {
            return error(403, null, "AccessDenied");
        }
        return serve(request, data);
    }

    /** Serves bytes with Range support and the download faults. */
    private MockResponse.Builder serve(RecordedRequest request, byte[] data) {
        byte[] content = data;
        if (corruptOffset >= 0 && corruptOffset < data.length) {
            content = data.clone();
            content[corruptOffset] ^= 0x5a;
        }
        String range = header(request, "Range");
        int from = 0;
        boolean partial = false;
        if (range != null && ignoreNextRange) {
            ignoreNextRange = false;
        } else if (range != null) {
            Matcher m = RANGE.matcher(range);
            if (!m.matches()) {
                violations.add("unsupported Range " + range);
                return error(416, null, "Range Not Satisfiable");
            }
            from = Integer.parseInt(m.group(1));
            if (from >= content.length) {
                return error(416, null, "Range Not Satisfiable");
            }
            partial = true;
        }
        byte[] slice = Arrays.copyOfRange(content, from, content.length);
        MockResponse.Builder response = new MockResponse.Builder().code(partial ? 206 : 200);
        if (partial) {
            response.setHeader("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
        }
        if (truncateNextDownloadAt >= 0) {
            int keep = Math.max(0, Math.min(slice.length, (int) (content.length * truncateNextDownloadAt) - from));
            truncateNextDownloadAt = -1;
            return response.body(new Buffer().write(slice, 0, keep))
                    .setHeader("Content-Length", slice.length)
                    .onResponseEnd(new SocketEffect.CloseSocket());
        }
        return response.body(new Buffer().write(slice));
    }

    // ---- helpers ----

    private String presigned(String path) {
        return "http://" + PRESIGNED_HOST + ":" + server.getPort() + path + "?X-Amz-Signature=sig";
    }

    private static String host(RecordedRequest request) {
        String host = header(request, "Host");
        if (host == null) {
            return "";
        }
        int colon = host.lastIndexOf(':');
        return colon > 0 ? host.substring(0, colon) : host;
    }

    private static String header(RecordedRequest request, String name) {
        return request.getHeaders().get(name);
    }

    private static MockResponse.Builder json(int code, JsonNode body) {
        try {
            return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json")
                    .body(new Buffer().write(JSON.writeValueAsBytes(body)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MockResponse.Builder error(int code, String errorCode, String message) {
        MockResponse.Builder response = json(code, JSON.createObjectNode().put("error", message));
        if (errorCode != null) {
            response.setHeader("X-Error-Code", errorCode);
        }
        return response;
    }

    /** For tests that build expectations: the repo's LFS objects by oid. */
    public synchronized Map<String, byte[]> lfsObjects(String id) {
        return new LinkedHashMap<>(repo(id).lfsStore);
    }

    private FakeHubRepo repo(String id) {
        FakeHubRepo repo = repos.get(id);
        if (repo == null) {
            throw new IllegalArgumentException("no fake repo " + id);
        }
        return repo;
    }
}
