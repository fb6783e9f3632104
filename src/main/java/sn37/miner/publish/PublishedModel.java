package sn37.miner.publish;

import java.util.List;
import java.util.Map;
import sn37.miner.metadata.ModelId;
import sn37.miner.metadata.SecureHash;

/**
 * A model on the Hub, ready for its chain commit: what the upload stage outputs.
 *
 * @param modelId the compressed string for the chain, {@code namespace:name:commit:secure_hash:competition_id}
 * @param files path → the Hub's oid and size, for every hashed file
 * @param deleted files of earlier uploads the commit removed
 * @param ignored files of the model dir left out (not part of what from_pretrained downloads)
 * @param totalBytes the uploaded files; {@code repoBytes} everything at the commit, as validators count it
 * @param reused true when no new commit was made (an earlier attempt's commit was adopted, or the head already
 *     held exactly these files)
 */
public record PublishedModel(String repo, String commitOid, String commitUrl, String dirHash, String secureHash,
        String hotkey, String modelId, int competitionId, Map<String, CommitCheck.PublishedFile> files,
        List<String> deleted, List<String> ignored, long totalBytes, long repoBytes, boolean reused) {

    public static PublishedModel of(UploadPlan plan, Publication publication, CommitCheck check, String hotkeySs58) {
        String secureHash = SecureHash.of(plan.dirHash(), hotkeySs58);
        ModelId id = new ModelId(plan.repo().namespace(), plan.repo().name(), publication.commitOid(), null,
                secureHash, plan.competitionId());
        id.toChainBytes(); // the length was checked before the upload; this only guards that check
        return new PublishedModel(plan.repo().toString(), publication.commitOid(), publication.commitUrl(),
                plan.dirHash(), secureHash, hotkeySs58, id.toCompressedString(), plan.competitionId(), check.files(),
                publication.deleted(), plan.ignored(), plan.totalBytes(), check.repoBytes(), publication.reused());
    }
}
