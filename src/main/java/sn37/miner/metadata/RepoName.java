package sn37.miner.metadata;

import java.util.Objects;

/** A Hugging Face repo id split at its '/', as returned by taoverse {@code validate_hf_repo_id}. */
public record RepoName(String namespace, String name) {

    public RepoName {
        Objects.requireNonNull(namespace, "namespace must not be null");
        Objects.requireNonNull(name, "name must not be null");
    }

    /** {@code namespace/name}. */
    public String repoId() {
        return namespace + "/" + name;
    }
}
