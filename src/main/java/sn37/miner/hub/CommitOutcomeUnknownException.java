package sn37.miner.hub;

import java.util.List;

/**
 * The commit request was sent but no usable answer came back (connection dropped, gateway error), so it may or may
 * not have been applied. Resending blindly could commit twice (platform.md §6.10); instead pass this to
 * {@link HubClient#reconcile(CommitOutcomeUnknownException)}, which checks the branch for a commit on top of
 * {@link #parentCommit()} holding exactly {@link #entries()}.
 */
public final class CommitOutcomeUnknownException extends HubException {
    private final String revision;
    private final String parentCommit;
    private final transient List<CommitEntry> entries;

    public CommitOutcomeUnknownException(String message, Info info, Throwable cause, String revision,
            String parentCommit, List<CommitEntry> entries) {
        super(message, info, cause);
        this.revision = revision;
        this.parentCommit = parentCommit;
        this.entries = List.copyOf(entries);
    }

    public String revision() {
        return revision;
    }

    public String parentCommit() {
        return parentCommit;
    }

    public List<CommitEntry> entries() {
        return entries;
    }
}
