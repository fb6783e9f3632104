package sn37.miner.hub;

import java.util.HashSet;
import java.util.Set;

/**
 * How {@link HubHttp} treats one call: its name and repo for messages, extra statuses that are not errors, whether
 * it is the (non-idempotent) commit, and whether it goes to a presigned URL that must never see the token.
 */
record Op(String what, RepoId repo, Set<Integer> accepted, boolean commit, boolean presigned) {
    static Op hub(String what, RepoId repo) {
        return new Op(what, repo, Set.of(), false, false);
    }

    static Op presigned(String what, RepoId repo) {
        return new Op(what, repo, Set.of(), false, true);
    }

    static Op commit(RepoId repo) {
        return new Op("commit", repo, Set.of(), true, false);
    }

    Op accepting(Integer... codes) {
        Set<Integer> all = new HashSet<>(accepted);
        all.addAll(Set.of(codes));
        return new Op(what, repo, Set.copyOf(all), commit, presigned);
    }

    boolean accepts(int code) {
        return (code >= 200 && code < 300) || accepted.contains(code);
    }

    String describe() {
        return repo == null ? what : what + " for " + repo;
    }
}
