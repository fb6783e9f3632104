package sn37.miner.publish;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sn37.miner.competition.ModelConstraints;
import sn37.miner.hub.RepoId;
import sn37.miner.metadata.ModelId;
import sn37.miner.metadata.RepoIds;

/**
 * What one upload will publish, settled before a byte leaves the machine: the repo, the file set with sizes and
 * sha256s, and the directory hash validators will compute from exactly these bytes.
 *
 * @param files relative path → the file, in {@link ModelFileSet} order
 * @param totalBytes the size of the file set, which is what the repo will hold besides .gitattributes and README.md
 */
public record UploadPlan(RepoId repo, Path dir, Map<String, PlannedFile> files, List<String> ignored,
        String architecture, long totalBytes, String dirHash, int competitionId) {

    public record PlannedFile(long size, String sha256) {}

    public UploadPlan {
        files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
        ignored = List.copyOf(ignored);
    }

    /**
     * Every check that needs no network, in the order a user can fix them: repo id, chain budget, model dir, class,
     * size; then the hashes.
     */
    public static UploadPlan prepare(String repoId, Path dir, ModelConstraints constraints, int competitionId)
            throws IOException {
        RepoId repo = repoId(repoId);
        // The commit (40 hex) and the secure hash (44 chars) have fixed lengths, so the budget is known now.
        ModelId longest = new ModelId(repo.namespace(), repo.name(), "0".repeat(ModelId.GIT_COMMIT_LENGTH), null,
                "=".repeat(ModelId.SHA256_BASE64_LENGTH), competitionId);
        if (!longest.fitsChain()) {
            throw new PublishException("--hf_repo_id '" + repoId + "': the model id on chain would take "
                    + longest.chainBytes() + " bytes, over the chain's " + ModelId.MAX_CHAIN_BYTES + "; use a shorter"
                    + " repo id");
        }
        ModelFileSet set = ModelFileSet.of(dir, constraints.tokenizer() == null);
        if (!constraints.allowsArchitecture(set.architecture())) {
            throw new PublishException("model dir " + dir + " is a " + set.architecture() + ", which competition "
                    + competitionId + " does not accept; allowed: " + constraints.allowedArchitectures());
        }
        Map<String, Long> sizes = new LinkedHashMap<>();
        long total = 0;
        for (String path : set.files()) {
            long size = Files.size(dir.resolve(path));
            sizes.put(path, size);
            total += size;
        }
        if (total > constraints.maxBytes()) {
            throw new PublishException("model dir " + dir + " would put " + total + " bytes in the repo, over"
                    + " competition " + competitionId + "'s limit of " + constraints.maxBytes() + " bytes; validators"
                    + " reject it without evaluating. Use a smaller model or dtype");
        }
        Map<String, String> sha256 = FileHashes.sha256Hex(dir, set.files());
        Map<String, PlannedFile> files = new LinkedHashMap<>();
        set.files().forEach(path -> files.put(path, new PlannedFile(sizes.get(path), sha256.get(path))));
        return new UploadPlan(repo, dir, files, set.ignored(), set.architecture(), total,
                FileHashes.directoryHash(sha256), competitionId);
    }

    /** taoverse's rules (length, one '/'), then the Hub's naming rules. */
    static RepoId repoId(String repoId) {
        try {
            RepoIds.validate(repoId);
            return RepoId.parse(repoId);
        } catch (IllegalArgumentException e) {
            throw new PublishException("--hf_repo_id '" + repoId + "': " + e.getMessage() + " Pass namespace/name of"
                    + " at most " + ModelId.MAX_REPO_ID_LENGTH + " characters, e.g. alice/sn37-model", e);
        }
    }

    /** Path → sha256 hex, what reconciliation and the resume check compare. */
    public Map<String, String> sha256ByPath() {
        Map<String, String> out = new LinkedHashMap<>();
        files.forEach((path, f) -> out.put(path, f.sha256()));
        return out;
    }

    /** transformers' push_to_hub message (utils/hub.py _upload_modified_files): "Upload model" for *Model classes. */
    public String commitSummary() {
        return architecture.contains("Model") ? "Upload model" : "Upload " + architecture;
    }
}
