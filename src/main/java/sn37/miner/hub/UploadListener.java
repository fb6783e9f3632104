package sn37.miner.hub;

/**
 * What {@link HubClient#prepareCommit} reports as the LFS objects reach the storage (progress, and a hook that
 * throws aborts the upload at that point). {@link #bytesSent} and {@link #partUploaded} run on upload worker
 * threads, concurrently.
 */
public interface UploadListener {
    UploadListener NONE = new UploadListener() {};

    /** An LFS object is stored on the Hub (uploaded now, or found already stored). */
    default void objectStored(String oid) {}

    /**
     * {@code bytes} more of LFS object {@code oid} reached the storage (a part, or the whole object in one request);
     * runs on upload worker threads, concurrently.
     */
    default void bytesSent(String oid, long bytes) {}

    /** One part of a multipart LFS upload was accepted. Part URLs are not reusable after a crash. */
    default void partUploaded(String oid, int partNumber) {}
}
