package sn37.miner.stage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import sn37.miner.chain.ChainSettings;
import sn37.miner.competition.ModelConstraints;
import sn37.miner.config.ConfigException;
import sn37.miner.hub.CommitConflictException;
import sn37.miner.hub.CommitEntry;
import sn37.miner.hub.CommitOutcomeUnknownException;
import sn37.miner.hub.CommitResult;
import sn37.miner.hub.FilePartJournal;
import sn37.miner.hub.HubClient;
import sn37.miner.hub.HubException;
import sn37.miner.hub.HubToken;
import sn37.miner.util.Sleeper;
import sn37.miner.publish.CommitCheck;
import sn37.miner.publish.HubPublisher;
import sn37.miner.publish.PendingCommit;
import sn37.miner.publish.Publication;
import sn37.miner.publish.PublishException;
import sn37.miner.publish.PublishedModel;
import sn37.miner.publish.UploadPlan;
import sn37.miner.run.EffectLedger;
import sn37.miner.run.EffectStatus;
import sn37.miner.wallet.Wallet;

/**
 * Publishes the trained model (or {@code upload_dir}, run alone like the reference's scripts/upload_model.py) to
 * {@code --hf_repo_id}: the pre-flight of {@link UploadPlan}, one commit that also deletes stale files, the check of
 * that commit against the Hub's digests, and the ModelId string for the chain commit.
 *
 * <p>At most once, through the run's {@link EffectLedger}: earlier commits of this stage are reconciled with the Hub
 * first, and a CONFIRMED one of the same files is adopted without committing again; otherwise the commit is recorded
 * INTENDED with its exact lines just before it is sent, and CONFIRMED when answered. Multipart uploads resume per
 * part from a journal in the run's work dir.
 */
public final class Upload implements Stage {
    /** The Hub commit as the ledger records it: the pending commit, and what the Hub answered. */
    static final EffectLedger.Kind<PendingCommit, CommitRecord> HUB_COMMIT =
            new EffectLedger.Kind<>("hf:", PendingCommit.class, CommitRecord.class);

    /** A lost answer whose commit did not land, or a moved branch, gets one more send; then the run fails and resumes. */
    private static final int MAX_SENDS = 2;

    /** What a CONFIRMED effect's response holds; {@code reused}: found on the Hub by reconciliation. */
    record CommitRecord(String commitOid, String commitUrl, boolean reused) {
        static CommitRecord of(CommitResult result, boolean reused) {
            return new CommitRecord(result.commitOid(), result.commitUrl(), reused);
        }
    }

    private final StageServices services;
    private final IntFunction<ModelConstraints> constraints;
    private final ChainSettings preflightChain;
    private final Sleeper sleeper;
    private final int partParallelism;

    public Upload(StageServices services) {
        this(services, ChainSettings.defaults());
    }

    /** With the chain options of the pre-flight's registration check (tests shorten its timeouts). */
    public Upload(StageServices services, ChainSettings preflightChain) {
        this(services, LoadModel::constraints, preflightChain, Sleeper.SYSTEM, 0);
    }

    /**
     * @param preflightChain null: no pre-flight (tests of the upload itself, whose runs name no chain)
     * @param sleeper where the Hub client waits between retries
     * @param partParallelism parts of one multipart object sent at once; 0 for the client's default
     */
    Upload(StageServices services, IntFunction<ModelConstraints> constraints, ChainSettings preflightChain,
            Sleeper sleeper, int partParallelism) {
        this.services = services;
        this.constraints = constraints;
        this.preflightChain = preflightChain;
        this.sleeper = sleeper;
        this.partParallelism = partParallelism;
    }

    @Override
    public String name() {
        return StageNames.UPLOAD;
    }

    @Override
    public List<String> requires(RunParams params) {
        return params.uploadDir() != null ? List.of() : List.of(StageNames.TRAIN);
    }

    @Override
    public String explicitInputs() {
        return "\"upload_dir\" (the Hugging Face model directory to publish)";
    }

    @Override
    public PublishedModel run(StageContext ctx) throws Exception {
        RunParams p = ctx.params();
        if (p.hfRepoId() == null) {
            throw new StageException("upload needs --hf_repo_id: the Hub repo (namespace/name) to publish to");
        }
        if (preflightChain != null) {
            // as mine does before training: token, repo, wallet, hotkey registered, node up; before any Hub call
            PublishPreflight.check(p, services, preflightChain);
        }
        try {
            Path dir = modelDir(ctx);
            ModelConstraints limits = constraints.apply(p.competitionId());
            String hotkey = hotkey(p);
            HubToken token = HubToken.of(services.secrets().requireHfToken().reveal());
            UploadPlan plan = UploadPlan.prepare(p.hfRepoId(), dir, limits, p.competitionId());
            HubClient client = hubClient(token);
            UploadProgress progress = new UploadProgress(ctx.progress(), name(), plan);
            HubPublisher publisher = new HubPublisher(client,
                    new FilePartJournal(ctx.workDir().resolve("upload-parts")), progress);
            Publication publication = publishOnce(ctx, publisher, plan, limits.maxBytes());
            progress.committed();
            CommitCheck check = CommitCheck.verify(client, plan, publication.commitOid(), limits.maxBytes());
            return PublishedModel.of(plan, publication, check, hotkey);
        } catch (PublishException | ConfigException e) {
            throw new StageException(e.getMessage(), e);
        } catch (HubException e) {
            throw new StageException("upload to " + p.hfRepoId() + " failed: " + e.getMessage(), e);
        }
    }

    private HubClient hubClient(HubToken token) {
        HubClient.Builder hub = HubClient.builder(services.endpoints().hub(), token).sleeper(sleeper);
        return (partParallelism > 0 ? hub.partParallelism(partParallelism) : hub).build();
    }

    /**
     * Reconcile, adopt, or send: every earlier commit of this stage left INTENDED (by a crash, or by a lost answer
     * just now) is looked up on the Hub and confirmed if it landed, else marked ABSENT; a CONFIRMED one of these
     * files is adopted as it is. Only then is a new commit sent.
     */
    private Publication publishOnce(StageContext ctx, HubPublisher publisher, UploadPlan plan, long maxBytes)
            throws IOException {
        EffectLedger ledger = ctx.effects();
        IOException failed = null;
        for (int send = 0; ; send++) {
            Optional<Publication> adopted = adopt(ledger.reconcile(HUB_COMMIT,
                    pending -> publisher.reconcile(pending).map(landed -> CommitRecord.of(landed, true))), plan);
            if (adopted.isPresent()) {
                return adopted.get();
            }
            if (send == MAX_SENDS) {
                throw failed;
            }
            HubPublisher.Prepared prepared = publisher.prepare(plan, maxBytes);
            if (prepared.changesNothing()) {
                return publisher.send(prepared);
            }
            PendingCommit pending = prepared.pending();
            String key = pending.effectKey(ctx.runId(), ledger.ofStage().size() + 1);
            try {
                return ledger.send(HUB_COMMIT, key, pending, () -> publisher.send(prepared),
                        done -> new CommitRecord(done.commitOid(), done.commitUrl(), false));
            } catch (CommitOutcomeUnknownException lost) {
                failed = lost; // the next round reconciles it
            } catch (CommitConflictException moved) {
                ledger.markAbsent(key); // the Hub refused it (the branch moved), so it surely did not land
                failed = moved;
            }
        }
    }

    /** The last CONFIRMED commit that publishes exactly the plan's files to its repo. */
    private static Optional<Publication> adopt(List<EffectLedger.Entry<PendingCommit, CommitRecord>> entries,
            UploadPlan plan) {
        Publication adopted = null;
        for (EffectLedger.Entry<PendingCommit, CommitRecord> e : entries) {
            PendingCommit pending = e.request();
            if (e.status() == EffectStatus.CONFIRMED && pending.repo().equals(plan.repo().toString())
                    && pending.files().equals(plan.sha256ByPath())) {
                adopted = new Publication(e.answer().commitOid(), e.answer().commitUrl(), deletions(pending),
                        e.answer().reused());
            }
        }
        return Optional.ofNullable(adopted);
    }

    private static List<String> deletions(PendingCommit pending) {
        return pending.entries().stream().filter(e -> e.kind() == CommitEntry.Kind.DELETE).map(CommitEntry::path).toList();
    }

    private static Path modelDir(StageContext ctx) {
        if (ctx.params().uploadDir() != null) {
            return Path.of(ctx.params().uploadDir()).toAbsolutePath();
        }
        Train.Output train = ctx.output(StageNames.TRAIN, Train.Output.class).orElseThrow(() -> new StageException(
                "upload needs the train stage's outputs or an explicit upload_dir, and this run has neither"));
        if (train.modelDir() == null) {
            throw new StageException("the train stage's outputs name no model directory: train again");
        }
        return Path.of(train.modelDir());
    }

    /** The secure hash is salted with the hotkey that will sign the chain commit. */
    private static String hotkey(RunParams p) {
        return Wallet.fromFlags(p.walletPath(), p.walletName(), p.walletHotkey()).ss58Address();
    }
}
