package sn37.miner.fake;

import static sn37.miner.fake.FakeHubHttp.error;
import static sn37.miner.fake.FakeHubHttp.header;

import java.util.Arrays;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/** Who may do what on the fake Hub: the token checks and the answers the Hub gives when they fail. */
final class FakeHubAuth {
    enum Need { READ, WRITE }

    private final FakeHubState state;

    FakeHubAuth(FakeHubState state) {
        this.state = state;
    }

    /** Null when allowed; otherwise the answer the Hub gives. {@code repo} may be null for account-level calls. */
    MockResponse.Builder denied(RecordedRequest request, FakeHubRepo repo, String repoId, Need need) {
        String auth = header(request, "Authorization");
        if (auth != null && !(auth.equals("Bearer " + state.writeToken) || auth.equals("Bearer " + state.readToken))) {
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
        if (need == Need.WRITE && auth.equals("Bearer " + state.readToken)) {
            return error(403, null, "You don't have the rights to write to " + (repoId == null ? "this namespace" : repoId)
                    + ": the token is read-only");
        }
        return null;
    }

    MockResponse.Builder checkContentType(RecordedRequest request, String... allowed) {
        String type = header(request, "Content-Type");
        if (type == null || !Arrays.asList(allowed).contains(type)) {
            state.violations.add("wrong Content-Type '" + type + "' for " + request.getRequestLine());
            return error(400, null, "Content-Type must be " + String.join(" or ", allowed) + ", got " + type);
        }
        return null;
    }
}
