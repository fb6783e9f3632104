package sn37.miner.publish;

import java.nio.file.Path;
import java.util.List;

/**
 * A committed model in the Hugging Face cache layout validators hash,
 * {@code <root>/models--<ns>--<name>/snapshots/<commit>/}, with its hashes checked against the chain.
 *
 * @param files the hashed files, relative to {@code dir}
 * @param repoBytes every file at the commit, as the size check counted it
 * @param downloaded files fetched by this call (0 when the snapshot was already complete)
 */
public record ModelSnapshot(Path dir, String repo, String commit, List<String> files, long repoBytes, String dirHash,
        String secureHash, int downloaded) {
    public ModelSnapshot {
        files = List.copyOf(files);
    }
}
