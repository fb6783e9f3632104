package sn37.miner.hub;

import java.util.List;

/**
 * Hooks between the steps of {@link HubClient#commit}. A caller that must be at-most-once across crashes persists
 * state in them; a hook that throws aborts the upload at that point, which is how tests simulate a process death.
 * {@link #partUploaded} runs on upload worker threads, concurrently.
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

    /**
     * Everything is uploaded and the commit request is about to be sent. Persist {@code parentCommit} and
     * {@code entries} before returning: they are what reconciliation needs if the answer never arrives.
     */
    default void beforeCommit(String parentCommit, List<CommitEntry> entries) {}

    /** The Hub answered the commit. */
    default void afterCommitResponse(CommitResult result) {}
}
