package sn37.miner.fake;

import static sn37.miner.fake.FakeHubHttp.error;
import static sn37.miner.fake.FakeHubHttp.header;
import static sn37.miner.fake.FakeHubHttp.host;
import static sn37.miner.fake.FakeHubState.PRESIGNED_HOST;

import java.io.IOException;
import java.util.Deque;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import sn37.miner.fake.FakeHub.Kind;
import sn37.miner.fake.FakeHubState.Fault;

/**
 * Sorts a request into its {@link Kind} by host, path and method, refuses what no endpoint answers, applies an
 * injected fault, and hands the rest to the endpoint group that serves it.
 */
final class FakeHubRouter {
    private final FakeHubState state;
    private final FakeHubRepos repos;
    private final FakeHubUploads uploads;
    private final FakeHubDownloads downloads;

    FakeHubRouter(FakeHubState state) {
        this.state = state;
        FakeHubAuth access = new FakeHubAuth(state);
        this.repos = new FakeHubRepos(state, access);
        this.uploads = new FakeHubUploads(state, access);
        this.downloads = new FakeHubDownloads(state, access);
    }

    MockResponse.Builder handle(Kind kind, RecordedRequest request) throws IOException {
        boolean presignedHost = PRESIGNED_HOST.equals(host(request));
        if (kind == Kind.UNKNOWN || presignedHost != kind.presignedHost) {
            state.violations.add("no such endpoint on host " + host(request) + ": " + request.getRequestLine());
            return error(404, null, "Not Found");
        }
        if ((kind.presignedHost || kind == Kind.LFS_COMPLETE) && header(request, "Authorization") != null) {
            state.violations.add("Authorization sent to a presigned URL: " + request.getRequestLine());
            return error(400, null, "Only one auth mechanism allowed; a presigned URL needs no Authorization header");
        }
        Deque<Fault> queue = state.faults.get(kind);
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

    static Kind classify(RecordedRequest request) {
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
            case WHOAMI: return repos.whoami(request);
            case CREATE_REPO: return repos.createRepo(request);
            case MODEL_INFO: return repos.modelInfo(request, s.get(2) + "/" + s.get(3), s.get(5));
            case TREE: return repos.tree(request, s.get(2) + "/" + s.get(3), s.get(5));
            case COMMITS: return repos.commits(request, s.get(2) + "/" + s.get(3), s.get(5));
            case PATHS_INFO: return repos.pathsInfo(request, s.get(2) + "/" + s.get(3), s.get(5));
            case PREUPLOAD: return uploads.preupload(request, s.get(2) + "/" + s.get(3), s.get(5));
            case COMMIT: return uploads.commit(request, s.get(2) + "/" + s.get(3), s.get(5));
            case SETTINGS: return repos.settings(request, s.get(2) + "/" + s.get(3));
            case LFS_BATCH: return uploads.batch(request, s.get(0) + "/" + s.get(1).substring(0, s.get(1).length() - 4));
            case LFS_VERIFY: return uploads.verify(request, s.get(0) + "/" + s.get(1).substring(0, s.get(1).length() - 4));
            case LFS_COMPLETE: return uploads.complete(request);
            case LFS_BASIC_PUT: return uploads.basicPut(request, s.get(2));
            case LFS_PART_PUT: return uploads.partPut(request, s.get(2), Integer.parseInt(s.get(3)));
            case CDN_GET: return downloads.cdnGet(request, s.get(1) + "/" + s.get(2), s.get(3));
            case RESOLVE_HEAD:
            case RESOLVE_GET:
                return downloads.resolve(request, s.get(0) + "/" + s.get(1), s.get(3),
                        String.join("/", s.subList(4, s.size())));
            default: return error(404, null, "Not Found");
        }
    }
}
