package sn37.miner.data;

import java.nio.file.Path;

/** A samples file written by {@link SnapshotWriter}: where, how big, its SHA-256 (lower-case hex), how many rows. */
public record Snapshot(Path path, long sizeBytes, String sha256, int count) {
}
