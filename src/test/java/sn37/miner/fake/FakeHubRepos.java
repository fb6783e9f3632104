package sn37.miner.fake;

import static sn37.miner.fake.FakeHub.ORG;
import static sn37.miner.fake.FakeHub.USER;
import static sn37.miner.fake.FakeHubHttp.JSON;
import static sn37.miner.fake.FakeHubHttp.error;
import static sn37.miner.fake.FakeHubHttp.header;
import static sn37.miner.fake.FakeHubHttp.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import sn37.miner.fake.FakeHubAuth.Need;

/** The fake Hub's account and repo endpoints: whoami, create repo, settings, model info, tree, commits, paths-info. */
final class FakeHubRepos {
    private final FakeHubState state;
    private final FakeHubAuth access;

    FakeHubRepos(FakeHubState state, FakeHubAuth access) {
        this.state = state;
        this.access = access;
    }

    MockResponse.Builder whoami(RecordedRequest request) {
        String auth = header(request, "Authorization");
        MockResponse.Builder no = access.denied(request, null, null, Need.READ);
        if (no != null || auth == null) {
            return no != null ? no : error(401, null, "Invalid username or password.");
        }
        ObjectNode body = JSON.createObjectNode().put("type", "user").put("name", USER);
        body.putArray("orgs").addObject().put("name", ORG);
        body.putObject("auth").put("type", "access_token").putObject("accessToken")
                .put("displayName", "test").put("role", auth.equals("Bearer " + state.writeToken) ? "write" : "read");
        return json(200, body);
    }

    MockResponse.Builder createRepo(RecordedRequest request) throws IOException {
        MockResponse.Builder no = access.refused(request, null, null, Need.WRITE, "application/json");
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
        ObjectNode answer = JSON.createObjectNode().put("url", state.endpoint() + "/" + id);
        if (state.repos.containsKey(id)) {
            return json(409, answer.put("error", "You already created this model repo"));
        }
        state.repos.put(id, new FakeHubRepo(id, body.path("private").asBoolean()));
        return json(200, answer.put("name", id));
    }

    MockResponse.Builder settings(RecordedRequest request, String id) throws IOException {
        FakeHubAuth.Target to = access.repo(request, id, Need.WRITE, "application/json");
        if (to.refusal() != null) {
            return to.refusal();
        }
        FakeHubRepo repo = to.repo();
        JsonNode body = JSON.readTree(request.getBody().utf8());
        if (!body.has("private") || !body.get("private").isBoolean()) {
            return error(400, null, "expected {\"private\": boolean}");
        }
        repo.isPrivate = body.get("private").asBoolean();
        return json(200, JSON.createObjectNode());
    }

    MockResponse.Builder modelInfo(RecordedRequest request, String id, String revision) {
        FakeHubAuth.Target at = access.revision(request, id, revision, Need.READ);
        if (at.refusal() != null) {
            return at.refusal();
        }
        FakeHubRepo repo = at.repo();
        FakeHubRepo.Commit commit = at.commit();
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

    MockResponse.Builder tree(RecordedRequest request, String id, String revision) {
        FakeHubAuth.Target at = access.revision(request, id, revision, Need.READ);
        if (at.refusal() != null) {
            return at.refusal();
        }
        FakeHubRepo.Commit commit = at.commit();
        if (!"true".equals(request.getUrl().queryParameter("recursive"))) {
            state.violations.add("tree listing without recursive=true");
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

    MockResponse.Builder commits(RecordedRequest request, String id, String revision) {
        FakeHubAuth.Target target = access.revision(request, id, revision, Need.READ);
        if (target.refusal() != null) {
            return target.refusal();
        }
        FakeHubRepo repo = target.repo();
        FakeHubRepo.Commit commit = target.commit();
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
        int to = Math.min(items.size(), from + state.pageSize);
        ArrayNode body = JSON.createArrayNode();
        items.subList(from, to).forEach(body::add);
        MockResponse.Builder response = json(200, body);
        if (to < items.size()) {
            HttpUrl next = HttpUrl.get(state.endpoint()).newBuilder().encodedPath(request.getUrl().encodedPath())
                    .encodedQuery(request.getUrl().encodedQuery()).setQueryParameter("cursor", String.valueOf(to))
                    .build();
            response.addHeader("Link", "<" + next + ">; rel=\"next\"");
        }
        return response;
    }

    MockResponse.Builder pathsInfo(RecordedRequest request, String id, String revision) {
        FakeHubAuth.Target at = access.revision(request, id, revision, Need.READ, "application/x-www-form-urlencoded");
        if (at.refusal() != null) {
            return at.refusal();
        }
        FakeHubRepo.Commit commit = at.commit();
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
}
