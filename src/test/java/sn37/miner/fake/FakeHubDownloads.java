package sn37.miner.fake;

import static sn37.miner.fake.FakeHubHttp.error;
import static sn37.miner.fake.FakeHubHttp.header;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import sn37.miner.fake.FakeHubAuth.Need;

/** The fake Hub's download endpoints: resolve (with its redirect to the CDN for LFS files) and the CDN GET. */
final class FakeHubDownloads {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final FakeHubState state;
    private final FakeHubAuth access;

    FakeHubDownloads(FakeHubState state, FakeHubAuth access) {
        this.state = state;
        this.access = access;
    }

    MockResponse.Builder resolve(RecordedRequest request, String id, String revision, String path) {
        FakeHubAuth.Target to = access.repo(request, id, Need.READ);
        if (to.refusal() != null) {
            return to.refusal();
        }
        FakeHubRepo repo = to.repo();
        if (repo.gated) {
            return error(403, "GatedRepo", "Access to model " + id + " is restricted. You must accept the conditions.");
        }
        FakeHubRepo.Commit commit = repo.resolve(revision);
        if (commit == null) {
            return FakeHubAuth.revisionNotFound(revision);
        }
        FakeHubRepo.Blob blob = commit.files().get(path);
        if (blob == null) {
            return error(404, "EntryNotFound", "Entry not found").setHeader("X-Repo-Commit", commit.id());
        }
        if (blob.lfs()) {
            return new MockResponse.Builder().code(302)
                    .setHeader("Location", state.presigned("/cdn/" + id + "/" + blob.sha256()))
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

    MockResponse.Builder cdnGet(RecordedRequest request, String id, String oid) {
        FakeHubRepo repo = state.repos.get(id);
        byte[] data = repo == null ? null : repo.lfsStore.get(oid);
        if (data == null || !"sig".equals(request.getUrl().queryParameter("X-Amz-Signature"))) {
            return error(403, null, "AccessDenied");
        }
        return serve(request, data);
    }

    /** Serves bytes with Range support and the download faults. */
    private MockResponse.Builder serve(RecordedRequest request, byte[] data) {
        byte[] content = data;
        if (state.corruptOffset >= 0 && state.corruptOffset < data.length) {
            content = data.clone();
            content[state.corruptOffset] ^= 0x5a;
        }
        String range = header(request, "Range");
        int from = 0;
        boolean partial = false;
        if (range != null && state.ignoreNextRange) {
            state.ignoreNextRange = false;
        } else if (range != null) {
            Matcher m = RANGE.matcher(range);
            if (!m.matches()) {
                state.violations.add("unsupported Range " + range);
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
        if (state.truncateNextDownloadAt >= 0) {
            int keep = Math.max(0, Math.min(slice.length, (int) (content.length * state.truncateNextDownloadAt) - from));
            state.truncateNextDownloadAt = -1;
            return response.body(new Buffer().write(slice, 0, keep))
                    .setHeader("Content-Length", slice.length)
                    .onResponseEnd(new SocketEffect.CloseSocket());
        }
        return response.body(new Buffer().write(slice));
    }
}
