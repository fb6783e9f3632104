package sn37.miner.publish;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sn37.miner.hub.FileDigests;
import sn37.miner.hub.HubClient;
import sn37.miner.hub.ModelInfo;
import sn37.miner.hub.RepoFile;

/**
 * Checks a published commit against the plan with one model-info call at that commit (no re-download): every
 * planned file is there with the planned content (the LFS sha256, or for regular files the git blob id), nothing
 * else that from_pretrained could pick up is there, the repo fits the size limit as validators sum it, and the
 * directory hash rebuilt from the Hub's digests equals the local one.
 *
 * @param files path → the oid the Hub keys it by (sha256 for LFS files, git blob sha1 otherwise) and its size
 * @param repoBytes every file at the commit, as validators sum {@code siblings[].size}
 */
public record CommitCheck(Map<String, PublishedFile> files, long repoBytes, String hubDirHash) {

    public record PublishedFile(String oid, long size) {}

    public static CommitCheck verify(HubClient client, UploadPlan plan, String commitOid, long maxBytes)
            throws IOException {
        ModelInfo info = client.modelInfo(plan.repo(), commitOid);
        String where = plan.repo() + " at commit " + commitOid;
        if (!commitOid.equals(info.sha())) {
            throw new PublishException(where + ": the Hub resolved the commit to " + info.sha() + "; check HF_ENDPOINT");
        }
        Map<String, PublishedFile> files = new LinkedHashMap<>();
        Map<String, String> hubSha256 = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, UploadPlan.PlannedFile> planned : plan.files().entrySet()) {
            String path = planned.getKey();
            RepoFile remote = info.file(path).orElse(null);
            if (remote == null) {
                problems.add(path + " is missing");
                continue;
            }
            if (remote.isLfs()) {
                hubSha256.put(path, remote.lfsSha256());
                files.put(path, new PublishedFile(remote.lfsSha256(), remote.size()));
            } else {
                Path local = plan.dir().resolve(path);
                String localBlob = FileDigests.gitBlobSha1Hex(local);
                if (!localBlob.equals(remote.blobId())) {
                    problems.add(path + " has git blob " + remote.blobId() + ", the local file " + localBlob);
                }
                // A regular file's sha256 is not reported; equal blob ids mean equal bytes, so the local one stands.
                hubSha256.put(path, planned.getValue().sha256());
                files.put(path, new PublishedFile(remote.blobId(), remote.size()));
            }
        }
        for (RepoFile remote : info.siblings()) {
            if (!plan.files().containsKey(remote.path()) && !TransformersFiles.KEPT_ON_HUB.contains(remote.path())) {
                problems.add(remote.path() + " is there but not part of the upload");
            }
        }
        if (!problems.isEmpty()) {
            throw new PublishException(where + " does not hold exactly the uploaded model: " + String.join("; ", problems)
                    + ". Upload again; if it repeats, someone else is writing to the repo");
        }
        String hubDirHash = FileHashes.directoryHash(hubSha256);
        if (!hubDirHash.equals(plan.dirHash())) {
            throw new PublishException(where + ": the directory hash of the Hub's files is " + hubDirHash + " but the"
                    + " local files hash to " + plan.dirHash() + "; a file changed during the upload or the Hub"
                    + " stored other bytes. Upload again from a directory nothing writes to");
        }
        if (info.totalSize() > maxBytes) {
            throw new PublishException(where + " holds " + info.totalSize() + " bytes, over the competition's limit of "
                    + maxBytes + "; validators will reject it. Remove files from the repo or shrink the model");
        }
        return new CommitCheck(files, info.totalSize(), hubDirHash);
    }
}
