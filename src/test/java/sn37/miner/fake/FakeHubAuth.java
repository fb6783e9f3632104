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

    /** Null when allowed and the body is of one of {@code types} (of any type when none is given). */
    MockResponse.Builder refused(RecordedRequest request, FakeHubRepo repo, String repoId, Need need,
            String... types) {
        MockResponse.Builder no = denied(request, repo, repoId, need);
        return no != null || types.length == 0 ? no : checkContentType(request, types);
    }

    /** An endpoint's repo, and its commit where a revision is named; or the answer that refuses the request. */
    record Target(FakeHubRepo repo, FakeHubRepo.Commit commit, MockResponse.Builder refusal) {}

    Target repo(RecordedRequest request, String repoId, Need need, String... types) {
        FakeHubRepo repo = state.repos.get(repoId);
        return new Target(repo, null, refused(request, repo, repoId, need, types));
    }

    Target revision(RecordedRequest request, String repoId, String revision, Need need, String... types) {
        Target target = repo(request, repoId, need, types);
        if (target.refusal() != null) {
            return target;
        }
        FakeHubRepo.Commit commit = target.repo().resolve(revision);
        return new Target(target.repo(), commit, commit == null ? revisionNotFound(revision) : null);
    }

    static MockResponse.Builder revisionNotFound(String revision) {
        return error(404, "RevisionNotFound", "Invalid rev id: " + revision);
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
