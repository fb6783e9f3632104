package sn37.miner.metadata;

/**
 * A repo id that taoverse {@code validate_hf_repo_id} rejects. The message is taoverse's, word for word, so it
 * reads like the reference miner's; the rejected input is in {@link #repoId()}.
 */
public final class InvalidRepoIdException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String repoId;

    InvalidRepoIdException(String repoId, String message) {
        super(message);
        this.repoId = repoId;
    }

    /** The rejected input (may be null). */
    public String repoId() {
        return repoId;
    }
}
