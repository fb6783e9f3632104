package sn37.miner.stage;

import java.util.HashMap;
import java.util.Map;
import sn37.miner.hub.UploadListener;
import sn37.miner.publish.UploadPlan;

/**
 * The upload's bytes sent of the model's total, as progress events. An LFS object the Hub already holds counts as
 * sent; the small files inline in the commit count once it is {@link #committed}.
 */
final class UploadProgress implements UploadListener {
    private final Progress progress;
    private final String stage;
    private final long total;
    private final Map<String, Long> sizeByOid = new HashMap<>();
    private final Map<String, Long> sentByOid = new HashMap<>();
    private long sent;

    UploadProgress(Progress progress, String stage, UploadPlan plan) {
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
        add(oid, bytes);
    }

    @Override
    public void objectStored(String oid) {
        add(oid, sizeByOid.getOrDefault(oid, 0L) - sentOf(oid));
    }

    /** The commit holding every file is on the Hub. */
    synchronized void committed() {
        sent = total;
        progress.report(ProgressEvent.bytes(stage, "model files", total, total));
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
