package sn37.miner.publish;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.competition.ModelConstraints;
import sn37.miner.hub.FileDigests;
import sn37.miner.hub.HubClient;
import sn37.miner.hub.ModelInfo;
import sn37.miner.hub.RepoFile;
import sn37.miner.hub.RepoId;
import sn37.miner.metadata.ModelId;
import sn37.miner.metadata.SecureHash;

/**
 * Downloads a committed model as validators do (taoverse {@code download_model}, reference-miner.md §3.2): model info
 * at the pinned commit, the size check on every file of the revision before any download, safetensors only, the
 * from_pretrained file set plus the tokenizer files present, then the secure hash for the committing hotkey compared
 * with the chain's. Files go to {@code blobs/<etag>} (resumable as {@code <etag>.incomplete}) and are moved into
 * the snapshot dir, as validators "realize" their symlinks before hashing.
 */
public final class ModelDownload {
    private static final Logger LOG = LoggerFactory.getLogger(ModelDownload.class);
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    /** Bytes of the model's files present so far, of those known to be needed (shards are known after the index). */
    @FunctionalInterface
    public interface Progress {
        void received(long bytes, long total);
    }

    private final HubClient client;
    private final Progress progress;
    private long received;
    private long needed;

    public ModelDownload(HubClient client) {
        this(client, (bytes, total) -> {});
    }

    /** Reports after each file, downloaded or found already present. */
    public ModelDownload(HubClient client, Progress progress) {
        this.client = client;
        this.progress = progress;
    }

    /** @param hotkeySs58 the hotkey that committed {@code id}: the secure hash is salted with it */
    public ModelSnapshot fetch(ModelId id, ModelConstraints constraints, Path root, String hotkeySs58)
            throws IOException {
        String commit = id.commit();
        if (commit == null || !COMMIT.matcher(commit).matches() || id.secureHash() == null) {
            throw new PublishException("model " + id.toCompressedString() + " has no pinned commit or secure hash;"
                    + " validators skip such metadata, so there is nothing to load");
        }
        RepoId repo;
        try {
            repo = new RepoId(id.namespace(), id.name());
        } catch (IllegalArgumentException e) {
            throw new PublishException("model " + id.toCompressedString() + " names no valid Hub repo: " + e.getMessage(), e);
        }
        String where = repo + " at commit " + commit;
        ModelInfo info = client.modelInfo(repo, commit);
        if (!commit.equals(info.sha())) {
            throw new PublishException(where + ": the Hub resolved it to " + info.sha() + "; check HF_ENDPOINT");
        }
        if (info.siblings().stream().anyMatch(f -> f.size() < 0)) {
            throw new PublishException(where + ": the Hub did not report every file's size, so the size limit"
                    + " cannot be checked; retry later");
        }
        if (info.totalSize() > constraints.maxBytes()) {
            throw new PublishException(where + " holds " + info.totalSize() + " bytes, over the competition's limit"
                    + " of " + constraints.maxBytes() + " bytes; validators reject it without downloading");
        }
        Path modelRoot = root.resolve("models--" + repo.namespace() + "--" + repo.name());
        Path snapshot = modelRoot.resolve("snapshots").resolve(commit);
        Path blobs = modelRoot.resolve("blobs");
        int downloaded = 0;
        List<String> files = new ArrayList<>();
        received = 0;
        needed = 0;
        List<String> base = baseFiles(info, where);
        for (String path : base) needed += info.file(path).map(RepoFile::size).orElse(0L);
        for (String path : TransformersFiles.TOKENIZER) needed += info.file(path).map(RepoFile::size).orElse(0L);
        for (String path : base) {
            downloaded += ensure(repo, info, path, snapshot, blobs, where) ? 1 : 0;
            files.add(path);
        }
        if (!files.contains(TransformersFiles.SINGLE_WEIGHTS)) {
            byte[] index = Files.readAllBytes(snapshot.resolve(TransformersFiles.INDEX));
            List<String> shards = TransformersFiles.shardsOf(index, where);
            for (String shard : shards) needed += info.file(shard).map(RepoFile::size).orElse(0L);
            for (String shard : shards) {
                downloaded += ensure(repo, info, shard, snapshot, blobs, where) ? 1 : 0;
                files.add(shard);
            }
        }
        List<String> tokenizer = new ArrayList<>();
        for (String path : TransformersFiles.TOKENIZER) {
            if (info.file(path).isPresent()) {
                downloaded += ensure(repo, info, path, snapshot, blobs, where) ? 1 : 0;
                tokenizer.add(path);
            }
        }
        files.addAll(tokenizer);
        Map<String, String> sha256 = new LinkedHashMap<>(FileHashes.sha256Hex(snapshot, files));
        for (String path : files) {
            // Fresh downloads were verified on arrival; this catches a file an earlier run left damaged.
            if (!intact(snapshot.resolve(path), info.file(path).orElseThrow(), sha256.get(path))) {
                LOG.warn("{} in {} differs from {}; downloading it again", path, snapshot, where);
                Files.delete(snapshot.resolve(path));
                ensure(repo, info, path, snapshot, blobs, where);
                downloaded++;
                sha256.put(path, FileDigests.sha256Hex(snapshot.resolve(path)));
            }
        }
        String dirHash = FileHashes.directoryHash(sha256);
        String secureHash = SecureHash.of(dirHash, hotkeySs58);
        if (!secureHash.equals(id.secureHash()) && !tokenizer.isEmpty()) {
            // taoverse before 1.2.0 (the Oct 2024 pin) hashed no tokenizer files: accept a model committed that way.
            Map<String, String> modelOnly = new LinkedHashMap<>(sha256);
            tokenizer.forEach(modelOnly::remove);
            String legacyDirHash = FileHashes.directoryHash(modelOnly);
            if (SecureHash.of(legacyDirHash, hotkeySs58).equals(id.secureHash())) {
                files.removeAll(tokenizer);
                dirHash = legacyDirHash;
                secureHash = id.secureHash();
            }
        }
        if (!secureHash.equals(id.secureHash())) {
            throw new PublishException(where + ": the chain's secure hash is " + id.secureHash() + " but the"
                    + " downloaded files give " + secureHash + " (directory hash " + dirHash + ", hotkey "
                    + hotkeySs58 + "). Validators reject this model; check that the hotkey is the one that committed"
                    + " it, otherwise the repo no longer holds what was committed");
        }
        return new ModelSnapshot(snapshot, repo.toString(), commit, files, info.totalSize(), dirHash, secureHash,
                downloaded);
    }

    /** config.json, generation_config.json when present, and the weights entry point (single file or index). */
    private static List<String> baseFiles(ModelInfo info, String where) {
        if (info.file(TransformersFiles.CONFIG).isEmpty()) {
            throw new PublishException(where + " has no " + TransformersFiles.CONFIG + "; it is not a transformers model");
        }
        List<String> files = new ArrayList<>(List.of(TransformersFiles.CONFIG));
        if (info.file(TransformersFiles.GENERATION_CONFIG).isPresent()) {
            files.add(TransformersFiles.GENERATION_CONFIG);
        }
        if (info.file(TransformersFiles.SINGLE_WEIGHTS).isPresent()) {
            files.add(TransformersFiles.SINGLE_WEIGHTS);
        } else if (info.file(TransformersFiles.INDEX).isPresent()) {
            files.add(TransformersFiles.INDEX);
        } else if (info.siblings().stream().anyMatch(f -> TransformersFiles.isBinWeights(f.path()))) {
            throw new PublishException(where + " holds only PyTorch .bin weights; validators load safetensors only"
                    + " (use_safetensors=True), so this model cannot compete");
        } else {
            throw new PublishException(where + " has no safetensors weights (" + TransformersFiles.SINGLE_WEIGHTS
                    + " or " + TransformersFiles.INDEX + ")");
        }
        return files;
    }

    /** Makes {@code path} present in the snapshot with the Hub's size; true when it had to be downloaded. */
    private boolean ensure(RepoId repo, ModelInfo info, String path, Path snapshot, Path blobs, String where)
            throws IOException {
        boolean fetched = fetchIfMissing(repo, info, path, snapshot, blobs, where);
        received += info.file(path).map(RepoFile::size).orElse(0L);
        progress.received(Math.min(received, needed), needed);
        return fetched;
    }

    private boolean fetchIfMissing(RepoId repo, ModelInfo info, String path, Path snapshot, Path blobs, String where)
            throws IOException {
        RepoFile remote = info.file(path).orElseThrow(() -> new PublishException(where + " lacks " + path
                + ", which its " + TransformersFiles.INDEX + " names; the repo is incomplete"));
        Path target = snapshot.resolve(path);
        if (Files.isRegularFile(target) && Files.size(target) == remote.size()) {
            return false;
        }
        Files.deleteIfExists(target);
        String etag = Optional.ofNullable(remote.lfsSha256()).orElse(remote.blobId());
        if (etag == null) {
            throw new PublishException(where + ": the Hub reported no digest for " + path + "; retry later");
        }
        Path blob = client.download(repo, info.sha(), path, blobs.resolve(etag));
        Files.createDirectories(target.getParent());
        try {
            Files.move(blob, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(blob, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return true;
    }

    private static boolean intact(Path file, RepoFile remote, String sha256) throws IOException {
        return remote.isLfs() ? sha256.equals(remote.lfsSha256()) : FileDigests.gitBlobSha1Hex(file).equals(remote.blobId());
    }
}
