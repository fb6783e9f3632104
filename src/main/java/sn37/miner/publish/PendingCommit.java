package sn37.miner.publish;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sn37.miner.hub.CommitEntry;

/**
 * A commit about to be sent, as it is recorded before the call (the at-most-once intent): the repo, the parent it
 * goes on top of, the exact lines (paths and Hub oids, deletions), and the sha256 of every file of the upload, which
 * tells a resumed attempt whether the recorded commit publishes the same model.
 */
public record PendingCommit(String repo, String parentCommit, List<CommitEntry> entries, Map<String, String> files) {

    public PendingCommit {
        entries = List.copyOf(entries);
        files = Collections.unmodifiableMap(new TreeMap<>(files));
    }

    /**
     * sha256 over the sorted (path, oid) lines and deletions: names what the commit changes. The parent commit is
     * left out on purpose: after a lost answer the same change is re-planned on whatever the head then is, and it is
     * still the same publication; the parent lives in the record, where reconciliation reads it.
     */
    public String contentDigest() {
        StringBuilder text = new StringBuilder();
        entries.stream().sorted(Comparator.comparing(CommitEntry::path)).forEach(e -> text
                .append(e.kind() == CommitEntry.Kind.DELETE ? "-" : "+").append(e.path()).append('\0')
                .append(e.oid() == null ? "" : e.oid()).append('\n'));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * {@code hf:<repo>:<content digest>:<run>#<send>}. The store's effect keys are unique across all runs and a key
     * marked ABSENT cannot be intended again, so the run id and the send number make each send its own record.
     */
    public String effectKey(String runId, int send) {
        return "hf:" + repo + ":" + contentDigest() + ":" + runId + "#" + send;
    }
}
