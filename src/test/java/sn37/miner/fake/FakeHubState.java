package sn37.miner.fake;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;
import mockwebserver3.RecordedRequest;

/**
 * Everything the fake Hub remembers: repos, uploads in flight, counters, injected faults and violations. It has no
 * lock of its own: {@link FakeHub} guards it with its one monitor, around every request and every test call.
 */
final class FakeHubState {
    static final String PRESIGNED_HOST = "localhost";

    record Upload(String id, String repo, String oid, long size, long chunkSize, int partCount,
            Map<Integer, byte[]> parts, Map<Integer, String> etags) {}

    record Fault(int status, Map<String, String> headers, boolean dropAfterHandling) {}

    final String writeToken;
    final String readToken;
    private final IntSupplier port;
    final Map<String, FakeHubRepo> repos = new HashMap<>();
    final Map<String, Upload> uploads = new HashMap<>();
    final Map<FakeHub.Kind, Integer> counts = new EnumMap<>(FakeHub.Kind.class);
    final Map<FakeHub.Kind, List<RecordedRequest>> seen = new EnumMap<>(FakeHub.Kind.class);
    final Map<FakeHub.Kind, Deque<Fault>> faults = new EnumMap<>(FakeHub.Kind.class);
    final Map<FakeHub.Kind, Runnable> afterHandling = new EnumMap<>(FakeHub.Kind.class);
    final Map<String, Integer> partPuts = new HashMap<>();
    final Map<String, Integer> basicPuts = new HashMap<>();
    final Set<String> acceptedParts = new HashSet<>();
    final Set<String> expiredUploads = new HashSet<>();
    int resentParts;
    boolean keepRequests = true;
    final Map<String, Map.Entry<Integer, String>> rejectedObjects = new HashMap<>();
    final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    int requestCounter;
    int uploadCounter;
    long chunkSize = 64 * 1024;
    long multipartThreshold = 128 * 1024;
    long lfsThreshold = 10 * 1024;
    int pageSize = 2;
    double truncateNextDownloadAt = -1;
    int corruptOffset = -1;
    boolean ignoreNextRange;

    FakeHubState(String writeToken, String readToken, IntSupplier port) {
        this.writeToken = writeToken;
        this.readToken = readToken;
        this.port = port;
    }

    String endpoint() {
        return "http://127.0.0.1:" + port.getAsInt();
    }

    String presigned(String path) {
        return "http://" + PRESIGNED_HOST + ":" + port.getAsInt() + path + "?X-Amz-Signature=sig";
    }

    FakeHubRepo repo(String id) {
        FakeHubRepo repo = repos.get(id);
        if (repo == null) {
            throw new IllegalArgumentException("no fake repo " + id);
        }
        return repo;
    }
}
