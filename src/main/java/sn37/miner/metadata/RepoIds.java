package sn37.miner.metadata;

/** Repo-id checks of taoverse {@code model/utils.py validate_hf_repo_id} (v1.0.5, unchanged at HEAD). */
public final class RepoIds {

    private RepoIds() {
    }

    /**
     * Checks, in taoverse's order: not empty; {@code 3 < length <= 38} in code points (Python {@code len});
     * exactly one '/'. Empty namespaces or names pass, as in taoverse.
     *
     * @throws InvalidRepoIdException with taoverse's message when a check fails
     */
    public static RepoName validate(String repoId) {
        if (repoId == null || repoId.isEmpty()) {
            throw new InvalidRepoIdException(repoId, "Hugging Face repo id cannot be empty.");
        }
        int length = repoId.codePointCount(0, repoId.length());
        if (length <= 3 || length > ModelId.MAX_REPO_ID_LENGTH) {
            throw new InvalidRepoIdException(
                    repoId,
                    "Hugging Face repo id must be between 3 and " + ModelId.MAX_REPO_ID_LENGTH + " characters.");
        }
        int slash = repoId.indexOf('/');
        if (slash < 0 || repoId.indexOf('/', slash + 1) >= 0) {
            throw new InvalidRepoIdException(
                    repoId, "Hugging Face repo id must be in the format <org or user name>/<repo_name>.");
        }
        return new RepoName(repoId.substring(0, slash), repoId.substring(slash + 1));
    }
}
