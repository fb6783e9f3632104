package sn37.miner.hub;

import java.util.List;
import java.util.Optional;

/** A model repo at a revision; {@code sha} is the commit the revision resolved to. */
public record ModelInfo(String id, String sha, boolean isPrivate, List<RepoFile> siblings) {
    public long totalSize() {
        return siblings.stream().mapToLong(RepoFile::size).sum();
    }

    public Optional<RepoFile> file(String path) {
        return siblings.stream().filter(f -> f.path().equals(path)).findFirst();
    }
}
