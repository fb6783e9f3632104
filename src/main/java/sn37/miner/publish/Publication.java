package sn37.miner.publish;

import java.util.List;

/**
 * The commit an upload ended on.
 *
 * @param deleted files of earlier uploads this commit removed
 * @param reused true when no new commit was made: an earlier attempt's commit was found on the Hub, or the head
 *     already held exactly these files
 */
public record Publication(String commitOid, String commitUrl, List<String> deleted, boolean reused) {
    public Publication {
        deleted = List.copyOf(deleted);
    }
}
