package sn37.miner.stage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import sn37.miner.chain.ChainOptions;
import sn37.miner.competition.ModelConstraints;
import sn37.miner.config.ConfigException;
import sn37.miner.config.Json;
import sn37.miner.hub.CommitEntry;
import sn37.miner.hub.CommitResult;
import sn37.miner.hub.FilePartJournal;
import sn37.miner.hub.HubClient;
import sn37.miner.hub.HubException;
import sn37.miner.hub.HubToken;
import sn37.miner.hub.UploadListener;
import sn37.miner.publish.CommitCheck;
import sn37.miner.publish.CommitLog;
import sn37.miner.publish.HubPublisher;
import sn37.miner.publish.PendingCommit;
import sn37.miner.publish.Publication;
import sn37.miner.publish.PublishException;
import sn37.miner.publish.PublishedModel;
import sn37.miner.publish.UploadPlan;
import sn37.miner.run.EffectStatus;
import sn37.miner.run.ExternalEffect;
import sn37.miner.wallet.Wallet;

/**
 * Publishes the trained model (or {@code upload_dir}, run alone like the reference's scripts/upload_model.py) to
 * {@code --hf_repo_id}: the pre-flight of {@link UploadPlan}, one commit that also deletes stale files, the check of
 * that commit against the Hub's digests, and the ModelId string for the chain commit.
 *
 * <p>At most once: the commit is recorded INTENDED just before it is sent and CONFIRMED when answered. A resumed run
 * reconciles an INTENDED record with the Hub first (adopting the commit if it landed) and rebuilds the outputs from a
 * CONFIRMED one without committing again. Multipart uploads resume per part from a journal in the run's work dir.
 */
public final class Upload implements Stage {
    /** Builds the Hub client; tests point it at a fake with their own retry sleeper. */
    interface HubClients {
        HubClient create(String endpoint, HubToken token);
    }

    /** What a CONFIRMED effect's response holds. */
    record CommitRecord(String commitOid, String commitUrl, boolean reused) {}

    private final StageServices services;
    private final HubClients clients;
    private final IntFunction<ModelConstraints> constraints;
    private final UploadListener hooks;
    private final ChainOptions preflightChain;

    public Upload(StageServices services) {
        this(services, ChainOptions.defaults());
    }

    /** With the chain options of the pre-flight's registration check (tests shorten its timeouts). */
    public Upload(StageServices services, ChainOptions preflightChain) {
        this(services, HubClient::create, LoadModel::constraints, UploadListener.NONE, preflightChain);
    }

    /** Without the pre-flight: tests of the upload itself, whose runs name no chain. */
    Upload(StageServices services, HubClients clients, IntFunction<ModelConstraints> constraints,
            UploadListener hooks) {
        this(services, clients, constraints, hooks, null);
    }

    Upload(StageServices services, HubClients clients, IntFunction<ModelConstraints> constraints,
            UploadListener hooks, ChainOptions preflightChain) {
        this.services = services;
        this.clients = clients;
        this.constraints = constraints;
        this.hooks = hooks;
        this.preflightChain = preflightChain;
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
            HubClient client = clients.create(services.endpoints().hub(), token);
            HubPublisher publisher = new HubPublisher(client,
                    new FilePartJournal(ctx.workDir().resolve("upload-parts")),
                    new UploadProgress(hooks, ctx.progress(), name(), plan));
            Publication publication = resume(ctx, publisher, plan).orElse(null);
            if (publication == null) {
                publication = publisher.publish(plan, limits.maxBytes(), new EffectLog(ctx));
            }
            CommitCheck check = CommitCheck.verify(client, plan, publication.commitOid(), limits.maxBytes());
            return PublishedModel.of(plan, publication, check, hotkey);
        } catch (PublishException | ConfigException e) {
            throw new StageException(e.getMessage(), e);
        } catch (HubException e) {
            throw new StageException("upload to " + p.hfRepoId() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * What earlier attempts of this run left: a CONFIRMED commit of the same files is adopted as it is; an INTENDED
     * one is looked up on the Hub, confirmed if it landed (and adopted when it holds these files), else marked
     * ABSENT so that it may be sent again.
     */
    private Optional<Publication> resume(StageContext ctx, HubPublisher publisher, UploadPlan plan) throws IOException {
        Publication adopted = null;
        for (ExternalEffect effect : ctx.effects().ofStage()) {
            PendingCommit pending = Json.mapper().readValue(effect.requestJson(), PendingCommit.class);
            boolean same = pending.repo().equals(plan.repo().toString()) && pending.files().equals(plan.sha256ByPath());
            if (effect.status() == EffectStatus.CONFIRMED && same) {
                CommitRecord done = Json.mapper().readValue(effect.responseJson(), CommitRecord.class);
                adopted = new Publication(done.commitOid(), done.commitUrl(), deletions(pending), done.reused());
            } else if (effect.status() == EffectStatus.INTENDED) {
                Optional<CommitResult> landed = publisher.reconcile(pending);
                if (landed.isPresent()) {
                    CommitRecord done = new CommitRecord(landed.get().commitOid(), landed.get().commitUrl(), true);
                    ctx.effects().confirm(effect.effectKey(), Json.mapper().writeValueAsString(done));
                    adopted = same ? new Publication(done.commitOid(), done.commitUrl(), deletions(pending), true)
                            : adopted;
                } else {
                    ctx.effects().markAbsent(effect.effectKey());
                }
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

    /** The run's external effects as the publisher's commit log, one record per send. */
    private static final class EffectLog implements CommitLog {
        private final StageContext ctx;
        private final Map<PendingCommit, String> keys = new IdentityHashMap<>();

        EffectLog(StageContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void intended(PendingCommit pending) {
            String key = pending.effectKey(ctx.runId(), ctx.effects().ofStage().size() + 1);
            keys.put(pending, key);
            ctx.effects().intend(key, write(pending));
        }

        @Override
        public void confirmed(PendingCommit pending, CommitResult result, boolean reused) {
            ctx.effects().confirm(keys.get(pending), write(new CommitRecord(result.commitOid(), result.commitUrl(), reused)));
        }

        @Override
        public void absent(PendingCommit pending) {
            ctx.effects().markAbsent(keys.get(pending));
        }

        private static String write(Object value) {
            try {
                return Json.mapper().writeValueAsString(value);
            } catch (IOException e) {
                throw new IllegalStateException("cannot write " + value + " as JSON", e);
            }
        }
    }
}
