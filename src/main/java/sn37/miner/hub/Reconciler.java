package sn37.miner.hub;

import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds out whether a commit whose answer was lost landed. Because it carried {@code parentCommit}, it can only have
 * landed as the direct child of that parent, so: walk the branch history to the parent's child and compare that
 * commit's files with what was sent.
 */
final class Reconciler {
    private static final Pattern COMMIT_SHA = Pattern.compile("[0-9a-f]{40}");

    private final HubHttp http;
    private final Repos repos;

    Reconciler(HubHttp http, Repos repos) {
        this.http = http;
        this.repos = repos;
    }

    Optional<String> findCommitWithFiles(RepoId repo, String revision, Map<String, String> expectedOids,
            Collection<String> deletedPaths) throws IOException {
        String sha = COMMIT_SHA.matcher(revision).matches() ? revision : repos.info(repo, revision, false).sha();
        return filesMatch(repo, sha, expectedOids, deletedPaths) ? Optional.of(sha) : Optional.empty();
    }

    Optional<CommitResult> reconcile(RepoId repo, String revision, String parentCommit, List<CommitEntry> sent)
            throws IOException {
        Map<String, String> expected = new HashMap<>();
        Set<String> deleted = new HashSet<>();
        for (CommitEntry entry : sent) {
            if (entry.kind() == CommitEntry.Kind.DELETE) {
                deleted.add(entry.path());
            } else {
                expected.put(entry.path(), entry.oid());
            }
        }
        String head = repos.info(repo, revision, false).sha();
        String candidate;
        if (parentCommit == null) {
            candidate = head;
        } else {
            if (head.equals(parentCommit)) {
                return Optional.empty();
            }
            List<CommitSummary> history = repos.commits(repo, head, c -> c.id().equals(parentCommit));
            int at = -1;
            for (int i = 0; i < history.size() && at < 0; i++) {
                at = history.get(i).id().equals(parentCommit) ? i : -1;
            }
            if (at <= 0) {
                return Optional.empty();
            }
            candidate = history.get(at - 1).id();
        }
        return filesMatch(repo, candidate, expected, deleted)
                ? Optional.of(new CommitResult(candidate, http.urls.commitUrl(repo, candidate), true))
                : Optional.empty();
    }

    private boolean filesMatch(RepoId repo, String sha, Map<String, String> expectedOids,
            Collection<String> deletedPaths) throws IOException {
        Set<String> paths = new HashSet<>(expectedOids.keySet());
        paths.addAll(deletedPaths);
        if (paths.isEmpty()) {
            return true;
        }
        Map<String, RepoFile> found = new HashMap<>();
        repos.pathsInfo(repo, sha, paths).forEach(f -> found.put(f.path(), f));
        for (Map.Entry<String, String> e : expectedOids.entrySet()) {
            RepoFile file = found.get(e.getKey());
            if (file == null || !file.hasOid(e.getValue())) {
                return false;
            }
        }
        return deletedPaths.stream().noneMatch(found::containsKey);
    }
}
