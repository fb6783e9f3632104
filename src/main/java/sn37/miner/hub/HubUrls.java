package sn37.miner.hub;

import okhttp3.HttpUrl;

/** Every Hub URL the client builds. Revisions are one encoded segment, so {@code refs/pr/1} becomes {@code refs%2Fpr%2F1}. */
final class HubUrls {
    private final HttpUrl endpoint;

    HubUrls(String endpoint) {
        HttpUrl url = HttpUrl.parse(endpoint);
        if (url == null || url.querySize() > 0) {
            throw new IllegalArgumentException("invalid Hub endpoint '" + endpoint + "'");
        }
        this.endpoint = url;
    }

    String endpoint() {
        String s = endpoint.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** Same scheme, host and port as the endpoint: the only place the token may go. */
    boolean isHub(HttpUrl url) {
        return url.scheme().equals(endpoint.scheme()) && url.host().equals(endpoint.host())
                && url.port() == endpoint.port();
    }

    HttpUrl whoami() {
        return root().addPathSegments("api/whoami-v2").build();
    }

    HttpUrl createRepo() {
        return root().addPathSegments("api/repos/create").build();
    }

    /** {@code /api/models/{ns}/{name}/{action}/{revision}}. */
    HttpUrl model(RepoId repo, String action, String revision) {
        return model(repo).addPathSegment(action).addPathSegment(revision).build();
    }

    HttpUrl settings(RepoId repo) {
        return model(repo).addPathSegment("settings").build();
    }

    HttpUrl resolve(RepoId repo, String revision, String path) {
        return root().addPathSegment(repo.namespace()).addPathSegment(repo.name()).addPathSegment("resolve")
                .addPathSegment(revision).addPathSegments(path).build();
    }

    HttpUrl lfsBatch(RepoId repo) {
        return root().addPathSegment(repo.namespace()).addPathSegment(repo.name() + ".git")
                .addPathSegments("info/lfs/objects/batch").build();
    }

    String repoUrl(RepoId repo) {
        return endpoint() + "/" + repo;
    }

    String commitUrl(RepoId repo, String commitOid) {
        return repoUrl(repo) + "/commit/" + commitOid;
    }

    private HttpUrl.Builder model(RepoId repo) {
        return root().addPathSegments("api/models").addPathSegment(repo.namespace()).addPathSegment(repo.name());
    }

    private HttpUrl.Builder root() {
        return endpoint.newBuilder();
    }
}
