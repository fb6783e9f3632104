package sn37.miner.publish;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import sn37.miner.hub.CommitConflictException;
import sn37.miner.hub.CommitEntry;
import sn37.miner.hub.CommitOperation;
import sn37.miner.hub.CommitOutcomeUnknownException;
import sn37.miner.hub.CommitResult;
import sn37.miner.hub.HubClient;
import sn37.miner.hub.ModelInfo;
import sn37.miner.hub.PartJournal;
import sn37.miner.hub.RepoFile;
import sn37.miner.hub.RepoId;
import sn37.miner.hub.UploadListener;
import sn37.miner.hub.WhoAmI;

/**
 * Publishes an {@link UploadPlan} as one commit on {@code main} that adds the model files and deletes every other
 * file of the repo (stale shards, a stale model.safetensors, old tokenizer files) except
 * {@link TransformersFiles#KEPT_ON_HUB}. The push_to_hub of the reference never deletes, so a stale single
 * model.safetensors would win over a new sharded index in from_pretrained (reference-miner.md §3.1).
 */
public final class HubPublisher {
    /** A lost answer whose commit did not land, or a moved branch, gets one more send; then the run fails and resumes. */
    private static final int MAX_SENDS = 2;
    private static final String BRANCH = "main";

    private final HubClient client;
    private final PartJournal journal;
    private final UploadListener hooks;

    /** @param hooks called after this class's own bookkeeping at each step; tests simulate crashes with them */
    public HubPublisher(HubClient client, PartJournal journal, UploadListener hooks) {
        this.client = client;
        this.journal = journal;
        this.hooks = hooks;
    }

    /** whoami (asked once per client): a read-only token or a foreign namespace fails here, before any write. */
    public void checkWriteAccess(RepoId repo) throws IOException {
        WhoAmI me = client.whoami();
        String tokens = client.endpoint() + "/settings/tokens";
        if ("read".equals(me.tokenRole())) {
            throw new PublishException("the Hub token of account '" + me.name() + "' is read-only and cannot upload"
                    + " to " + repo + ": create a token with the 'write' role at " + tokens
                    + " and set it as HF_ACCESS_TOKEN");
        }
        if (!repo.namespace().equals(me.name()) && !me.orgs().contains(repo.namespace())) {
            throw new PublishException("the Hub token's account '" + me.name() + "' (organizations " + me.orgs()
                    + ") has no write access to namespace '" + repo.namespace() + "': use a repo id under one of"
                    + " those, or a token of an account that owns '" + repo.namespace() + "'");
        }
    }

    /** An intent an earlier attempt left: the commit it describes, if it landed. */
    public Optional<CommitResult> reconcile(PendingCommit pending) throws IOException {
        return client.reconcile(RepoId.parse(pending.repo()), BRANCH, pending.parentCommit(), pending.entries());
    }

    public Publication publish(UploadPlan plan, long maxBytes, CommitLog log) throws IOException {
        RepoId repo = plan.repo();
        checkWriteAccess(repo);
        client.createPrivateRepo(repo);
        for (int send = 1; ; send++) {
            ModelInfo head = client.modelInfo(repo, BRANCH);
            List<String> stale = new ArrayList<>();
            long kept = 0;
            for (RepoFile file : head.siblings()) {
                if (TransformersFiles.KEPT_ON_HUB.contains(file.path())) {
                    kept += Math.max(0, file.size());
                } else if (!plan.files().containsKey(file.path())) {
                    stale.add(file.path());
                }
            }
            if (plan.totalBytes() + kept > maxBytes) {
                throw new PublishException(repo + " would hold " + (plan.totalBytes() + kept) + " bytes (the model's "
                        + plan.totalBytes() + " plus " + kept + " in " + TransformersFiles.KEPT_ON_HUB + "), over the"
                        + " competition's limit of " + maxBytes + " bytes; validators count every file. Shrink the"
                        + " model or the README.md");
            }
            List<CommitOperation> operations = new ArrayList<>();
            plan.files().keySet().forEach(path -> operations.add(new CommitOperation.Add(path, plan.dir().resolve(path))));
            stale.forEach(path -> operations.add(new CommitOperation.Delete(path)));
            Recorder recorder = new Recorder(plan, log);
            try {
                CommitResult result = client.commit(repo, BRANCH, head.sha(), plan.commitSummary(), operations,
                        recorder, journal);
                return new Publication(result.commitOid(), result.commitUrl(), result.created() ? stale : List.of(),
                        !result.created());
            } catch (CommitOutcomeUnknownException lost) {
                Optional<CommitResult> landed = client.reconcile(lost);
                if (landed.isPresent()) {
                    log.confirmed(recorder.pending, landed.get(), true);
                    return new Publication(landed.get().commitOid(), landed.get().commitUrl(), stale, true);
                }
                if (recorder.pending != null) {
                    log.absent(recorder.pending);
                }
                if (send == MAX_SENDS) {
                    throw lost;
                }
            } catch (CommitConflictException moved) {
                // The Hub refused it (the branch moved), so it surely did not land.
                if (recorder.pending != null) {
                    log.absent(recorder.pending);
                }
                if (send == MAX_SENDS) {
                    throw moved;
                }
            }
        }
    }

    /** Records the intent with the exact lines just before the commit call, and the answer right after. */
    private final class Recorder implements UploadListener {
        private final UploadPlan plan;
        private final CommitLog log;
        private PendingCommit pending;

        Recorder(UploadPlan plan, CommitLog log) {
            this.plan = plan;
            this.log = log;
        }

        @Override
        public void objectStored(String oid) {
            hooks.objectStored(oid);
        }

        @Override
        public void bytesSent(String oid, long bytes) {
            hooks.bytesSent(oid, bytes);
        }

        @Override
        public void partUploaded(String oid, int partNumber) {
            hooks.partUploaded(oid, partNumber);
        }

        @Override
        public void beforeCommit(String parentCommit, List<CommitEntry> entries) {
            pending = new PendingCommit(plan.repo().toString(), parentCommit, entries, plan.sha256ByPath());
            log.intended(pending);
            hooks.beforeCommit(parentCommit, entries);
        }

        @Override
        public void afterCommitResponse(CommitResult result) {
            log.confirmed(pending, result, false);
            hooks.afterCommitResponse(result);
        }
    }
}
