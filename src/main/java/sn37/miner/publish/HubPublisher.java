package sn37.miner.publish;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import sn37.miner.hub.CommitOperation;
import sn37.miner.hub.CommitResult;
import sn37.miner.hub.HubClient;
import sn37.miner.hub.ModelInfo;
import sn37.miner.hub.PartJournal;
import sn37.miner.hub.PreparedCommit;
import sn37.miner.hub.RepoFile;
import sn37.miner.hub.RepoId;
import sn37.miner.hub.UploadListener;
import sn37.miner.hub.WhoAmI;

/**
 * Publishes an {@link UploadPlan} as one commit on {@code main} that adds the model files and deletes every other
 * file of the repo (stale shards, a stale model.safetensors, old tokenizer files) except
 * {@link TransformersFiles#KEPT_ON_HUB}. The push_to_hub of the reference never deletes, so a stale single
 * model.safetensors would win over a new sharded index in from_pretrained (reference-miner.md §3.1).
 *
 * <p>The steps are separate so that a caller can record the {@link Prepared#pending() commit} before
 * {@link #send} and {@link #reconcile} it after a lost answer or a crash, instead of committing twice.
 */
public final class HubPublisher {
    private static final String BRANCH = "main";

    private final HubClient client;
    private final PartJournal journal;
    private final UploadListener progress;

    /** @param progress told as the LFS objects reach the storage */
    public HubPublisher(HubClient client, PartJournal journal, UploadListener progress) {
        this.client = client;
        this.journal = journal;
        this.progress = progress;
    }

    /** A commit of the plan with every LFS object stored; {@code stale}: the files it deletes. */
    public record Prepared(UploadPlan plan, PreparedCommit commit, List<String> stale) {
        public Prepared {
            stale = List.copyOf(stale);
        }

        /** What is recorded before the commit is sent. */
        public PendingCommit pending() {
            return new PendingCommit(plan.repo().toString(), commit.parentCommit(), commit.entries(),
                    plan.sha256ByPath());
        }

        /** The head holds exactly these files already: {@link #send} makes no commit and answers the head. */
        public boolean changesNothing() {
            return commit.changesNothing();
        }
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

    /**
     * Everything before the commit call: write access, the private repo, the stale files at the head, the size
     * limit with the files the commit keeps, and the LFS uploads.
     */
    public Prepared prepare(UploadPlan plan, long maxBytes) throws IOException {
        RepoId repo = plan.repo();
        checkWriteAccess(repo);
        client.createPrivateRepo(repo);
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
        PreparedCommit commit = client.prepareCommit(repo, BRANCH, head.sha(), plan.commitSummary(), operations,
                progress, journal);
        return new Prepared(plan, commit, stale);
    }

    /**
     * The commit call. A lost answer raises {@link sn37.miner.hub.CommitOutcomeUnknownException} (reconcile it);
     * a moved branch {@link sn37.miner.hub.CommitConflictException} (it surely did not land).
     */
    public Publication send(Prepared prepared) throws IOException {
        CommitResult result = client.send(prepared.commit());
        return new Publication(result.commitOid(), result.commitUrl(), result.created() ? prepared.stale() : List.of(),
                !result.created());
    }

    /** A commit sent earlier whose answer was lost: the commit it made, if it landed. */
    public Optional<CommitResult> reconcile(PendingCommit pending) throws IOException {
        return client.reconcile(RepoId.parse(pending.repo()), BRANCH, pending.parentCommit(), pending.entries());
    }
}
