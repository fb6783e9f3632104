package sn37.miner.hub;

import okhttp3.HttpUrl;

/**
 * What a HEAD on {@code /resolve/} says about a file: the commit it resolved to, its etag (sha256 for LFS files, git
 * blob sha1 otherwise), its size, and where its bytes are; {@code redirected} means another host that gets no token.
 */
public record FileMetadata(String commit, String etag, long size, HttpUrl location, boolean redirected) {
    @Override
    public String toString() {
        // The location may be a signed URL: keep its query out of logs.
        return "FileMetadata[commit=" + commit + ", etag=" + etag + ", size=" + size + ", host=" + location.host()
                + ", redirected=" + redirected + "]";
    }
}
