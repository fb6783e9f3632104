package sn37.miner.stage;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.chain.ChainException;
import sn37.miner.chain.ChainSettings;
import sn37.miner.chain.PreparedExtrinsic;
import sn37.miner.chain.Ss58;
import sn37.miner.chain.SubtensorClient;
import sn37.miner.chain.commitment.CommitmentOutcome;
import sn37.miner.chain.commitment.CommitmentClient;
import sn37.miner.chain.commitment.OnChainCommitment;
import sn37.miner.chain.commitment.PendingExtrinsic;
import sn37.miner.chain.commitment.Reconciliation;
import sn37.miner.config.ConfigException;
import sn37.miner.hub.HubClient;
import sn37.miner.hub.HubToken;
import sn37.miner.hub.RepoId;
import sn37.miner.metadata.ModelId;
import sn37.miner.publish.PublishedModel;
import sn37.miner.run.EffectStatus;
import sn37.miner.run.EffectLedger;
import sn37.miner.wallet.Hotkey;
import sn37.miner.wallet.Wallet;

/**
 * Commits the uploaded model's metadata on chain with the wallet's hotkey ({@code Commitments.set_commitment}
 * on {@code --netuid}), then makes the Hub repo public unless {@code --update_repo_visibility} was passed (the
 * reference's inverted flag, neurons/miner.py). Each extrinsic is recorded INTENDED before it is sent; a resume
 * settles every INTENDED one from chain state before anything new is sent, so a lost answer never leads to a
 * second commit (which would reset the model's block and its epsilon advantage).
 */
public final class Commit implements Stage {
    private static final Logger LOG = LoggerFactory.getLogger(Commit.class);
    static final String EFFECT_PREFIX = "chain-commit:";
    /** The chain commitment as the ledger records it, keyed {@code chain-commit:<extrinsic hash>}. */
    static final EffectLedger.Kind<Intent, Landed> CHAIN_COMMIT =
            new EffectLedger.Kind<>(EFFECT_PREFIX, Intent.class, Landed.class);

    /** The signed extrinsic as recorded before it is submitted: enough to settle it from chain state alone. */
    record Intent(String metadata, int netuid, String hotkey, String extrinsicHash, long nonce, long deathBlock) {
        static Intent of(PreparedExtrinsic x, int netuid, String text) {
            return new Intent(text, netuid, x.signer(), x.hash(), x.nonce(), x.deathBlock());
        }

        boolean puts(String text, int netuid, String hotkey) {
            return metadata.equals(text) && this.netuid == netuid && this.hotkey.equals(hotkey);
        }

        PendingExtrinsic pending() {
            return new PendingExtrinsic(extrinsicHash, nonce, deathBlock);
        }
    }

    /** The block the commitment is final in. */
    record Landed(long block) {}

    /** The stage's outputs; {@code skipped}: the chain held exactly this metadata already, nothing was sent. */
    public record Output(long block, String modelId, String extrinsicHash, @JsonProperty("public") boolean madePublic,
            boolean skipped, String hotkey, int netuid, String repo) {}

    private final StageServices services;
    private final ChainSettings options;

    public Commit(StageServices services) {
        this(services, ChainSettings.defaults());
    }

    public Commit(StageServices services, ChainSettings options) {
        this.services = services;
        this.options = options;
    }

    @Override
    public String name() {
        return StageNames.COMMIT;
    }

    @Override
    public List<String> requires(RunParams params) {
        return List.of(StageNames.UPLOAD);
    }

    @Override
    public Output run(StageContext ctx) {
        RunParams p = ctx.params();
        if (p.offline()) {
            throw new StageException("an --offline run never commits on chain: run without --offline to publish");
        }
        PublishedModel upload = ctx.output(StageNames.UPLOAD, PublishedModel.class)
                .orElseThrow(() -> new StageException("commit needs the upload stage's outputs, and this run has none"));
        String text = field(upload.modelId(), "modelId");
        String repo = field(upload.repo(), "repo");
        String uploadHotkey = field(upload.hotkey(), "hotkey");
        ModelId id = ModelId.fromCompressedString(text).filter(ModelId::fitsChain).orElseThrow(() -> new StageException(
                "the upload's modelId '" + text + "' is not a model metadata string of at most " + ModelId.MAX_CHAIN_BYTES
                        + " bytes: run the upload again"));
        if (upload.competitionId() != id.competitionId()) {
            throw new StageException("the upload's modelId names competition " + id.competitionId() + " but its"
                    + " competitionId is " + upload.competitionId() + ": run the upload again");
        }
        Hotkey hotkey = Wallet.fromFlags(p.walletPath(), p.walletName(), p.walletHotkey());
        if (!hotkey.ss58Address().equals(uploadHotkey)) {
            throw new StageException("the upload's secure hash was made for hotkey " + uploadHotkey
                    + ", but wallet " + p.walletName() + "/" + p.walletHotkey() + " is " + hotkey.ss58Address()
                    + ": validators would reject the hash; commit with the same --wallet.name/--wallet.hotkey as the upload");
        }
        String endpoint = services.endpoints().subtensor(p.subtensorNetwork(), p.subtensorChainEndpoint());
        CommitmentOutcome result;
        try (SubtensorClient chain = SubtensorClient.connect(endpoint, options)) {
            result = commitOnce(ctx, new CommitmentClient(chain, services.clock()), p.netuid(), hotkey, text);
        } catch (ChainException e) {
            throw new StageException(e.getMessage(), e);
        }
        boolean madePublic = p.updateRepoVisibility() && makePublic(repo, result);
        return new Output(result.commitment().block(), text, result.extrinsicHash(), madePublic, result.skipped(),
                hotkey.ss58Address(), p.netuid(), repo);
    }

    /**
     * Reconcile, adopt, or send: every earlier extrinsic of this stage left INTENDED is settled from chain state
     * first; a CONFIRMED one that put this text for this hotkey and netuid is adopted; only then is a new one sent.
     */
    private CommitmentOutcome commitOnce(StageContext ctx, CommitmentClient store, int netuid, Hotkey hotkey, String text) {
        EffectLedger ledger = ctx.effects();
        String signer = hotkey.ss58Address();
        try {
            for (EffectLedger.Entry<Intent, Landed> e : ledger.reconcile(CHAIN_COMMIT, sent -> landed(ctx, store, sent))) {
                if (e.status() == EffectStatus.CONFIRMED && e.request().puts(text, netuid, signer)) {
                    return new CommitmentOutcome(new OnChainCommitment(netuid, signer, e.answer().block(), text),
                            e.request().extrinsicHash(), false);
                }
            }
            CommitmentClient.Prepared prepared = store.prepare(netuid, hotkey.keypair(), text);
            if (prepared.onChain() != null) {
                return prepared.onChain();
            }
            PreparedExtrinsic x = prepared.extrinsic();
            return ledger.send(CHAIN_COMMIT, EFFECT_PREFIX + x.hash(), Intent.of(x, netuid, text),
                    () -> store.submit(prepared), done -> new Landed(done.commitment().block()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the chain says of an extrinsic an earlier attempt recorded: final in a block, never landing, or not yet known. */
    private static Optional<Landed> landed(StageContext ctx, CommitmentClient store, Intent sent) {
        byte[] sentBy = Ss58.decode(sent.hotkey());
        PendingExtrinsic pending = sent.pending();
        Reconciliation r = store.reconcile(sent.netuid(), sentBy, sent.metadata(), pending);
        LOG.info("run {}: earlier commit extrinsic {}: {}", ctx.runId(), pending.extrinsicHash(), r);
        if (r instanceof Reconciliation.Confirmed c) {
            return Optional.of(new Landed(c.commitment().block()));
        }
        if (r instanceof Reconciliation.AwaitingFinality a) {
            return Optional.of(new Landed(
                    store.awaitFinal(sent.netuid(), sentBy, sent.metadata(), a.commitment().block(), null).block()));
        }
        if (r instanceof Reconciliation.MayStillLand m) {
            throw new StageException("an earlier commit extrinsic " + pending.extrinsicHash() + " (nonce " + pending.nonce()
                    + ") is not on chain but may still be included until block " + m.deathBlock() + " (now "
                    + m.bestBlock() + "); no second commit is sent before then: resume the run after that block");
        }
        return Optional.empty();
    }

    private boolean makePublic(String repo, CommitmentOutcome result) {
        try {
            HubClient hub = HubClient.create(services.endpoints().hub(),
                    HubToken.of(services.secrets().requireHfToken().reveal()));
            hub.setPrivate(RepoId.parse(repo), false);
            LOG.info("repo {} is public now", repo);
            return true;
        } catch (IOException | ConfigException e) {
            throw new StageException("the metadata is on chain (block " + result.commitment().block() + "), but making repo "
                    + repo + " public failed: " + e.getMessage() + "; resume the run to retry (the chain commit is not"
                    + " repeated), or make it public on the Hub yourself", e);
        }
    }

    private static String field(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new StageException("the upload stage's outputs have no '" + name + "': run the upload again");
        }
        return value;
    }
}
