package sn37.miner.hub;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One multipart LFS upload as the batch call began it: the part URLs, the completion href and the ETag of every
 * part the storage accepted so far (part numbers from 1). {@code toString} leaves the presigned URLs out.
 */
public record MultipartState(String oid, long size, long chunkSize, String completionHref, List<String> partUrls,
        Map<Integer, String> etags) {

    public MultipartState {
        partUrls = List.copyOf(partUrls);
        etags = Map.copyOf(etags);
    }

    MultipartState withPart(int partNumber, String etag) {
        Map<Integer, String> more = new TreeMap<>(etags);
        more.put(partNumber, etag);
        return new MultipartState(oid, size, chunkSize, completionHref, partUrls, more);
    }

    @Override
    public String toString() {
        return "MultipartState[oid=" + oid + ", size=" + size + ", parts=" + partUrls.size() + ", done="
                + etags.size() + "]";
    }
}
