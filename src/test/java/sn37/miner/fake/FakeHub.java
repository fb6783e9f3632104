package sn37.miner.fake;

import static sn37.miner.fake.FakeHubHttp.error;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import sn37.miner.fake.FakeHubState.Fault;

/**
 * A strict in-memory Hugging Face Hub on 127.0.0.1, speaking the protocol of platform.md §3. Its "CDN" and "S3"
 * (presigned LFS uploads and downloads) answer on the same port under the host name {@code localhost}, so a
 * redirect there is a cross-host redirect for the client. It refuses what the real Hub refuses, records every
 * protocol violation in {@link #violations()}, counts requests per {@link Kind}, and injects faults on demand.
 *
 * <p>This class is the fake's face for tests: configuration, seeding, counters and faults. The endpoints live in
 * {@link FakeHubRepos}, {@link FakeHubUploads} and {@link FakeHubDownloads}, routed by {@link FakeHubRouter}, over
 * one {@link FakeHubState}. Every request and every call here holds this instance's monitor, the fake's one lock.
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

    private final MockWebServer server = new MockWebServer();
    private final FakeHubState state;
    private final FakeHubRouter router;

    private FakeHub(String writeToken, String readToken) {
        this.state = new FakeHubState(writeToken, readToken, server::getPort);
        this.router = new FakeHubRouter(state);
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
        return state.endpoint();
    }

    @Override
    public void close() {
        server.close();
    }

    // ---- configuration and state, for tests ----

    public synchronized FakeHub chunkSize(long bytes) {
        state.chunkSize = bytes;
        return this;
    }

    public synchronized long chunkSize() {
        return state.chunkSize;
    }

    public synchronized FakeHub multipartThreshold(long bytes) {
        state.multipartThreshold = bytes;
        return this;
    }

    public synchronized FakeHub lfsThreshold(long bytes) {
        state.lfsThreshold = bytes;
        return this;
    }

    public synchronized FakeHub pageSize(int items) {
        state.pageSize = items;
        return this;
    }

    public synchronized void createRepo(String id, boolean isPrivate) {
        state.repos.put(id, new FakeHubRepo(id, isPrivate));
    }

    public synchronized void setGated(String id) {
        state.repo(id).gated = true;
    }

    /** Commits files directly, as if someone else had pushed them. */
    public synchronized String seedCommit(String id, Map<String, byte[]> regular, Map<String, byte[]> lfs) {
        FakeHubRepo repo = state.repo(id);
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
        state.repo(id).lfsStore.put(FakeHubRepo.hex("SHA-256", data), data);
    }

    public synchronized String head(String id) {
        return state.repo(id).head().id();
    }

    /** Files at the head, without the .gitattributes every new repo starts with. */
    public synchronized Map<String, byte[]> headFiles(String id) {
        Map<String, byte[]> files = new TreeMap<>();
        state.repo(id).head().files().forEach((path, blob) -> {
            if (!path.equals(".gitattributes")) {
                files.put(path, blob.data());
            }
        });
        return files;
    }

    public synchronized boolean isLfs(String id, String path) {
        return state.repo(id).head().files().get(path).lfs();
    }

    public synchronized boolean isPrivate(String id) {
        return state.repo(id).isPrivate;
    }

    public synchronized boolean exists(String id) {
        return state.repos.containsKey(id);
    }

    /** Commits made through the commit API (seeds excluded). */
    public synchronized int commitsApplied(String id) {
        return (int) state.repo(id).commits.stream().filter(c -> !c.title().equals("seed") && c.parent() != null).count();
    }

    public synchronized int count(Kind kind) {
        return state.counts.getOrDefault(kind, 0);
    }

    /** Requests of every kind this fake has answered. */
    public synchronized int totalRequests() {
        return state.counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    public synchronized List<RecordedRequest> requests(Kind kind) {
        return List.copyOf(state.seen.getOrDefault(kind, List.of()));
    }

    public synchronized int partPuts(String oid) {
        return state.partPuts.getOrDefault(oid, 0);
    }

    public synchronized int basicPuts(String oid) {
        return state.basicPuts.getOrDefault(oid, 0);
    }

    /** Part PUTs whose part (object and number) the storage had already accepted once: work a resume repeated. */
    public synchronized int resentParts() {
        return state.resentParts;
    }

    /** With false, requests are counted but not kept, so a benchmark's gigabytes of part bodies can be collected. */
    public synchronized FakeHub keepRequests(boolean keep) {
        state.keepRequests = keep;
        return this;
    }

    public List<String> violations() {
        return List.copyOf(state.violations);
    }

    // ---- faults ----

    /** The next {@code times} requests of {@code kind} get {@code status} without being processed. */
    public synchronized void failNext(Kind kind, int status, int times) {
        for (int i = 0; i < times; i++) {
            state.faults.computeIfAbsent(kind, k -> new ArrayDeque<>()).add(new Fault(status, Map.of(), false));
        }
    }

    /** Faults queued by {@link #failNext} and the like that no request took yet are dropped. */
    public synchronized void clearFaults() {
        state.faults.clear();
    }

    /** The next request of {@code kind} is throttled: 429 with {@code RateLimit: "api";r=0;t=resetSeconds}. */
    public synchronized void rateLimitNext(Kind kind, int resetSeconds) {
        state.faults.computeIfAbsent(kind, k -> new ArrayDeque<>()).add(new Fault(429, Map.of(
                "RateLimit", "\"api\";r=0;t=" + resetSeconds,
                "RateLimit-Policy", "\"fixed window\";\"api\";q=500;w=300"), false));
    }

    /** The next request of {@code kind} is processed (state changes) but its connection drops before the answer. */
    public synchronized void dropResponseNext(Kind kind) {
        state.faults.computeIfAbsent(kind, k -> new ArrayDeque<>()).add(new Fault(0, Map.of(), true));
    }

    /** The next download answer stops at {@code fraction} of the file and the connection closes. */
    public synchronized void truncateNextDownload(double fraction) {
        state.truncateNextDownloadAt = fraction;
    }

    /** Every download from now on has the byte at {@code offset} flipped. */
    public synchronized void corruptDownloadsAt(int offset) {
        state.corruptOffset = offset;
    }

    /** The next Range request is answered 200 with the whole file, as a server that ignores Range does. */
    public synchronized void ignoreNextRange() {
        state.ignoreNextRange = true;
    }

    /**
     * Every multipart upload begun so far expires, as presigned URLs do: its part PUTs get 403 AccessDenied and its
     * completion 404 NoSuchUpload.
     */
    public synchronized void expireUploads() {
        state.expiredUploads.addAll(state.uploads.keySet());
    }

    /** The LFS batch answers a per-object error for {@code oid}. */
    public synchronized void rejectLfsObject(String oid, int code, String message) {
        state.rejectedObjects.put(oid, Map.entry(code, message));
    }

    /**
     * Runs {@code action} once, after the next request of {@code kind} has changed the fake's state and before its
     * answer is sent (a crash test kills the client there).
     */
    public synchronized void onHandled(Kind kind, Runnable action) {
        state.afterHandling.put(kind, action);
    }

    // ---- dispatch ----

    private synchronized MockResponse dispatch(RecordedRequest request) {
        String requestId = "req-" + (++state.requestCounter);
        Kind kind = FakeHubRouter.classify(request);
        state.counts.merge(kind, 1, Integer::sum);
        if (state.keepRequests) {
            state.seen.computeIfAbsent(kind, k -> new ArrayList<>()).add(request);
        }
        MockResponse.Builder response;
        try {
            response = router.handle(kind, request);
        } catch (RuntimeException | IOException e) {
            state.violations.add("fake hub could not handle " + request.getRequestLine() + ": " + e);
            response = error(400, null, "bad request: " + e.getMessage());
        }
        Runnable action = state.afterHandling.remove(kind);
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

    /** For tests that build expectations: the repo's LFS objects by oid. */
    public synchronized Map<String, byte[]> lfsObjects(String id) {
        return new LinkedHashMap<>(state.repo(id).lfsStore);
    }
}
