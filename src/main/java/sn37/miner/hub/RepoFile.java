package sn37.miner.hub;

/**
 * A file in a repo at a revision. {@code blobId} is the git blob sha1 (of the LFS pointer for LFS files),
 * {@code lfsSha256} the content's sha256 for LFS files and null otherwise.
 */
public record RepoFile(String path, long size, String blobId, String lfsSha256) {
    public boolean isLfs() {
        return lfsSha256 != null;
    }

    /** True when {@code oid} (a sha256 for LFS files, a git blob sha1 for regular ones) names this content. */
    public boolean hasOid(String oid) {
        return oid != null && (oid.equals(lfsSha256) || oid.equals(blobId));
    }
}
