package sn37.miner.stage;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import sn37.miner.hub.CommitEntry;
import sn37.miner.hub.CommitResult;
import sn37.miner.hub.UploadListener;
import sn37.miner.publish.UploadPlan;

/**
 * The upload's bytes sent of the model's total, as progress events, around the hooks the stage was given. An LFS
 * object the Hub already holds counts as sent; the small files inline in the commit count once it is answered.
 */
final class UploadProgress implements UploadListener {
    private final UploadListener hooks;
    private final Progress progress;
    private final String stage;
    private final long total;
    private final Map<String, Long> sizeByOid = new HashMap<>();
    private final Map<String, Long> sentByOid = new HashMap<>();
    private long sent;

    UploadProgress(UploadListener hooks, Progress progress, String stage, UploadPlan plan) {
        this.hooks = hooks;
        this.progress = progress;
        this.stage = stage;
        long sum = 0;
        for (UploadPlan.PlannedFile f : plan.files().values()) {
            sizeByOid.put(f.sha256(), f.size());
            sum += f.size();
        }
        this.total = sum;
    }

    @Override
    public void bytesSent(String oid, long bytes) {
        hooks.bytesSent(oid, bytes);
        add(oid, bytes);
    }

    @Override
    public void objectStored(String oid) {
        hooks.objectStored(oid);
        add(oid, sizeByOid.getOrDefault(oid, 0L) - sentOf(oid));
    }

    @Override
    public void partUploaded(String oid, int partNumber) {
        hooks.partUploaded(oid, partNumber);
    }

    @Override
    public void beforeCommit(String parentCommit, List<CommitEntry> entries) {
        hooks.beforeCommit(parentCommit, entries);
    }

    @Override
    public void afterCommitResponse(CommitResult result) {
        hooks.afterCommitResponse(result);
        synchronized (this) {
            sent = total;
            progress.report(ProgressEvent.bytes(stage, "model files", total, total));
        }
    }

    private synchronized long sentOf(String oid) {
        return sentByOid.getOrDefault(oid, 0L);
    }

    /** Reports under the lock: parts finish on several threads, and the counts must reach the log in order. */
    private synchronized void add(String oid, long bytes) {
        if (bytes <= 0) return;
        sentByOid.merge(oid, bytes, Long::sum);
        sent = Math.min(total, sent + bytes);
        progress.report(ProgressEvent.bytes(stage, "model files", sent, total));
    }
}
