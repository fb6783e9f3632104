package sn37.miner.hub;

/**
 * One line of a commit as it will be (or was) sent: what a {@link PreparedCommit} holds for the caller to
 * persist, and what reconciliation compares against the Hub. {@code oid} is the sha256 hex for LFS files,
 * the git blob sha1 for regular files and null for deletions.
 */
public record CommitEntry(String path, Kind kind, String oid, long size) {
    public enum Kind { REGULAR, LFS, DELETE }

    public CommitEntry {
        path = RepoPaths.check(path);
        if ((kind == Kind.DELETE) != (oid == null)) {
            throw new IllegalArgumentException("a deletion has no oid and an addition needs one: " + path);
        }
    }

    public static CommitEntry deletion(String path) {
        return new CommitEntry(path, Kind.DELETE, null, 0);
    }
}
