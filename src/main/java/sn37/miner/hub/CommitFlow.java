package sn37.miner.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** preupload → LFS uploads ({@link #prepare}), then one NDJSON commit ({@link #send}). */
final class CommitFlow {
    private static final Logger LOG = LoggerFactory.getLogger(CommitFlow.class);

    private final HubHttp http;
    private final Repos repos;
    private final Preupload preupload;
    private final LfsUploads lfs;
    private final NdjsonCommit ndjson;

    CommitFlow(HubHttp http, Repos repos, Preupload preupload, LfsUploads lfs, NdjsonCommit ndjson) {
        this.http = http;
        this.repos = repos;
        this.preupload = preupload;
        this.lfs = lfs;
        this.ndjson = ndjson;
    }

    PreparedCommit prepare(RepoId repo, String revision, String parentCommit, String summary,
            List<CommitOperation> operations, UploadListener listener, PartJournal journal) throws IOException {
        List<CommitOperation.Add> adds = new ArrayList<>();
        List<CommitOperation.Delete> deletes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (CommitOperation operation : operations) {
            if (!seen.add(operation.pathInRepo())) {
                throw new IllegalArgumentException("two operations on " + operation.pathInRepo() + " in one commit");
            }
            if (operation instanceof CommitOperation.Add add) {
                adds.add(add);
            } else if (operation instanceof CommitOperation.Delete delete) {
                deletes.add(delete);
            }
        }

        String head;
        Map<String, Preupload.Mode> modes = Map.of();
        if (adds.isEmpty()) {
            head = repos.info(repo, revision, false).sha();
        } else {
            Preupload.Result answer = preupload.fetch(repo, revision, adds);
            head = answer.headCommit();
            modes = answer.modes();
        }
        String parent = parentCommit != null ? parentCommit : head;

        List<CommitEntry> entries = new ArrayList<>();
        Map<String, Path> regularFiles = new HashMap<>();
        Map<String, LfsUploads.LfsObject> lfsObjects = new LinkedHashMap<>();
        for (CommitOperation.Add add : adds) {
            Preupload.Mode mode = modes.get(add.pathInRepo());
            if (mode == null) {
                throw new HubException("preupload for " + repo + " did not answer for " + add.pathInRepo()
                        + " (HTTP 200, error code none, request id none). The Hub API may have changed; report it.",
                        HubException.Info.noAnswer(repo));
            }
            if (mode.ignored()) {
                LOG.warn("{} is ignored by the repo's .gitignore; left out of the commit", add.pathInRepo());
                continue;
            }
            long size = Files.size(add.localFile());
            boolean isLfs = mode.lfs() && size > 0;
            String oid = isLfs ? FileDigests.sha256Hex(add.localFile()) : FileDigests.gitBlobSha1Hex(add.localFile());
            if (oid.equals(mode.remoteOid())) {
                LOG.info("{} is unchanged on {}; skipped", add.pathInRepo(), repo);
                continue;
            }
            entries.add(new CommitEntry(add.pathInRepo(), isLfs ? CommitEntry.Kind.LFS : CommitEntry.Kind.REGULAR,
                    oid, size));
            if (isLfs) {
                lfsObjects.putIfAbsent(oid, new LfsUploads.LfsObject(oid, size, add.localFile()));
            } else {
                regularFiles.put(add.pathInRepo(), add.localFile());
            }
        }
        deletes.forEach(d -> entries.add(CommitEntry.deletion(d.pathInRepo())));
        if (!entries.isEmpty()) {
            lfs.upload(repo, revision, new ArrayList<>(lfsObjects.values()), listener, journal);
        }
        return new PreparedCommit(repo, revision, summary, parent, head, entries, regularFiles);
    }

    CommitResult send(PreparedCommit prepared) throws IOException {
        RepoId repo = prepared.repo();
        if (prepared.changesNothing()) {
            LOG.info("nothing changed on {}@{}; no commit made", repo, prepared.revision());
            return new CommitResult(prepared.head(), http.urls.commitUrl(repo, prepared.head()), false);
        }
        return ndjson.send(repo, prepared.revision(), prepared.summary(), prepared.parentCommit(), prepared.entries(),
                prepared.regularFiles());
    }
}
