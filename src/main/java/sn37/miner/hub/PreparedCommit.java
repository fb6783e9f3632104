package sn37.miner.hub;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A commit whose LFS objects are all stored, ready to send: the exact lines it will carry on top of
 * {@code parentCommit}. An at-most-once caller records {@code (parentCommit, entries)} before
 * {@link HubClient#send(PreparedCommit)}; they are what {@link HubClient#reconcile} needs if the answer never arrives.
 *
 * @param head the branch head the preupload saw: what {@code send} answers when the commit changes nothing
 * @param regularFiles path → local file, for the entries sent inline (not through LFS)
 */
public record PreparedCommit(RepoId repo, String revision, String summary, String parentCommit, String head,
        List<CommitEntry> entries, Map<String, Path> regularFiles) {

    public PreparedCommit {
        entries = List.copyOf(entries);
        regularFiles = Map.copyOf(regularFiles);
    }

    /** The Hub holds every file already and nothing is deleted: sending makes no commit. */
    public boolean changesNothing() {
        return entries.isEmpty();
    }
}
