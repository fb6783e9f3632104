package sn37.miner.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/** Identity, repo creation and settings, and the read-only views of a repo: info, tree, paths-info, history. */
final class Repos {
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

    private final HubHttp http;
    private final AtomicReference<WhoAmI> whoami = new AtomicReference<>();

    Repos(HubHttp http) {
        this.http = http;
    }

    /** Cached: the Hub rate-limits whoami-v2 "intentionally strictly" (platform.md §3.2). */
    WhoAmI whoami() throws IOException {
        WhoAmI cached = whoami.get();
        if (cached != null) {
            return cached;
        }
        Op op = Op.hub("whoami", null);
        WhoAmI fresh = http.send(http.hubRequest(http.urls.whoami()).get().build(), op, response -> {
            JsonNode node = HubJson.read(response, op);
            List<String> orgs = new ArrayList<>();
            node.path("orgs").forEach(org -> orgs.add(org.path("name").asText()));
            JsonNode accessToken = node.path("auth").path("accessToken");
            return new WhoAmI(HubJson.text(node, "name", response, op), HubJson.optionalText(node, "type"),
                    List.copyOf(orgs), HubJson.optionalText(accessToken, "role"));
        });
        whoami.compareAndSet(null, fresh);
        return whoami.get();
    }

    /**
     * Creates the repo private; an existing one is fine (409). A 403 may also hide an existing repo the token can
     * read but not create under, so as huggingface_hub's create_repo(exist_ok=True) does, look it up before failing.
     */
    String createPrivate(RepoId repo) throws IOException {
        ObjectNode body = HubJson.object()
                .put("type", "model").put("name", repo.name()).put("organization", repo.namespace()).put("private", true);
        Request request = http.hubRequest(http.urls.createRepo()).post(HubJson.body(body, HubJson.JSON)).build();
        try {
            http.send(request, Op.hub("create repo", repo).accepting(409), response -> null);
        } catch (ForbiddenException e) {
            try {
                info(repo, "main", false);
            } catch (HubException notVisible) {
                throw e;
            }
        }
        return http.urls.repoUrl(repo);
    }

    ModelInfo info(RepoId repo, String revision, boolean blobs) throws IOException {
        HttpUrl url = http.urls.model(repo, "revision", revision);
        if (blobs) {
            url = url.newBuilder().addQueryParameter("blobs", "true").build();
        }
        Op op = Op.hub("model info at " + revision, repo);
        return http.send(http.hubRequest(url).get().build(), op, response -> {
            JsonNode node = HubJson.read(response, op);
            List<RepoFile> siblings = new ArrayList<>();
            for (JsonNode s : node.path("siblings")) {
                JsonNode lfs = s.get("lfs");
                siblings.add(new RepoFile(HubJson.text(s, "rfilename", response, op), s.path("size").asLong(-1),
                        HubJson.optionalText(s, "blobId"), HubJson.optionalText(lfs, "sha256")));
            }
            return new ModelInfo(HubJson.text(node, "id", response, op), HubJson.text(node, "sha", response, op),
                    node.path("private").asBoolean(false), List.copyOf(siblings));
        });
    }

    /** Every file at the revision, following {@code Link: <…>; rel="next"} pages (utils/_pagination.py). */
    List<RepoFile> tree(RepoId repo, String revision) throws IOException {
        HttpUrl first = http.urls.model(repo, "tree", revision).newBuilder()
                .addQueryParameter("recursive", "true").addQueryParameter("expand", "false").build();
        List<RepoFile> files = new ArrayList<>();
        paginate(first, Op.hub("tree listing at " + revision, repo), (item, response, op) -> {
            if ("file".equals(HubJson.optionalText(item, "type"))) {
                files.add(entry(item, response, op));
            }
            return true;
        });
        return files;
    }

    /** The named paths that exist at the revision; missing ones are simply absent. */
    List<RepoFile> pathsInfo(RepoId repo, String revision, Collection<String> paths) throws IOException {
        FormBody.Builder form = new FormBody.Builder();
        paths.forEach(p -> form.add("paths", p));
        form.add("expand", "true");
        Request request = http.hubRequest(http.urls.model(repo, "paths-info", revision)).post(form.build()).build();
        Op op = Op.hub("paths-info at " + revision, repo);
        return http.send(request, op, response -> {
            List<RepoFile> files = new ArrayList<>();
            for (JsonNode item : HubJson.read(response, op)) {
                if ("file".equals(HubJson.optionalText(item, "type"))) {
                    files.add(entry(item, response, op));
                }
            }
            return files;
        });
    }

    /** History from {@code revision} backwards, newest first, stopping at the first page holding {@code stop}. */
    List<CommitSummary> commits(RepoId repo, String revision, Predicate<CommitSummary> stop) throws IOException {
        List<CommitSummary> commits = new ArrayList<>();
        paginate(http.urls.model(repo, "commits", revision), Op.hub("commit history of " + revision, repo),
                (item, response, op) -> {
                    CommitSummary c = new CommitSummary(HubJson.text(item, "id", response, op),
                            HubJson.optionalText(item, "title"));
                    commits.add(c);
                    return !stop.test(c);
                });
        return commits;
    }

    void setPrivate(RepoId repo, boolean isPrivate) throws IOException {
        Request request = http.hubRequest(http.urls.settings(repo))
                .put(HubJson.body(HubJson.object().put("private", isPrivate), HubJson.JSON)).build();
        http.send(request, Op.hub("visibility change", repo), response -> null);
    }

    private interface ItemHandler {
        /** Returns false to stop paging after the current page. */
        boolean accept(JsonNode item, Response response, Op op) throws IOException;
    }

    private void paginate(HttpUrl first, Op op, ItemHandler handler) throws IOException {
        HttpUrl url = first;
        while (url != null) {
            url = http.send(http.hubRequest(url).get().build(), op, response -> {
                boolean more = true;
                for (JsonNode item : HubJson.read(response, op)) {
                    more &= handler.accept(item, response, op);
                }
                return more ? nextPage(response) : null;
            });
        }
    }

    private static HttpUrl nextPage(Response response) {
        for (String link : response.headers("Link")) {
            Matcher m = NEXT_LINK.matcher(link);
            if (m.find()) {
                return response.request().url().resolve(m.group(1));
            }
        }
        return null;
    }

    private static RepoFile entry(JsonNode item, Response response, Op op) throws HubException {
        return new RepoFile(HubJson.text(item, "path", response, op), item.path("size").asLong(-1),
                HubJson.optionalText(item, "oid"), HubJson.optionalText(item.get("lfs"), "oid"));
    }
}
