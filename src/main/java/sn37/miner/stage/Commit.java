package sn37.miner.stage;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.chain.ChainException;
import sn37.miner.chain.ChainOptions;
import sn37.miner.chain.PreparedExtrinsic;
import sn37.miner.chain.Ss58;
import sn37.miner.chain.SubtensorClient;
import sn37.miner.chain.commitment.CommitmentOutcome;
import sn37.miner.chain.commitment.CommitmentClient;
import sn37.miner.chain.commitment.OnChainCommitment;
import sn37.miner.chain.commitment.PendingExtrinsic;
import sn37.miner.chain.commitment.Reconciliation;
import sn37.miner.config.ConfigException;
import sn37.miner.config.Json;
import sn37.miner.hub.HubClient;
import sn37.miner.hub.HubToken;
import sn37.miner.hub.RepoId;
import sn37.miner.metadata.ModelId;
import sn37.miner.run.EffectStatus;
import sn37.miner.run.ExternalEffect;
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

    /** The stage's outputs; {@code skipped}: the chain held exactly this metadata already, nothing was sent. */
    public record Outputs(long block, String modelId, String extrinsicHash, @JsonProperty("public") boolean madePublic,
            boolean skipped, String hotkey, int netuid, String repo) {}

    private final StageServices services;
    private final ChainOptions options;

    public Commit(StageServices services) {
        this(services, ChainOptions.defaults());
    }

    public Commit(StageServices services, ChainOptions options) {
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
    public Outputs run(StageContext ctx) {
        RunParams p = ctx.params();
        if (p.offline()) {
            throw new StageException("an --offline run never commits on chain: run without --offline to publish");
        }
        JsonNode upload = ctx.output(StageNames.UPLOAD, JsonNode.class)
                .orElseThrow(() -> new StageException("commit needs the upload stage's outputs, and this run has none"));
        String text = field(upload, "modelId");
        String repo = field(upload, "repo");
        ModelId id = ModelId.fromCompressedString(text).filter(ModelId::fitsChain).orElseThrow(() -> new StageException(
                "the upload's modelId '" + text + "' is not a model metadata string of at most " + ModelId.MAX_CHAIN_BYTES
                        + " bytes: run the upload again"));
        if (upload.hasNonNull("competitionId") && upload.get("competitionId").asInt() != id.competitionId()) {
            throw new StageException("the upload's modelId names competition " + id.competitionId() + " but its"
                    + " competitionId is " + upload.get("competitionId").asInt() + ": run the upload again");
        }
        Hotkey hotkey = Wallet.fromFlags(p.walletPath(), p.walletName(), p.walletHotkey());
        if (!hotkey.ss58Address().equals(field(upload, "hotkey"))) {
            throw new StageException("the upload's secure hash was made for hotkey " + field(upload, "hotkey")
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
        return new Outputs(result.commitment().block(), text, result.extrinsicHash(), madePublic, result.skipped(),
                hotkey.ss58Address(), p.netuid(), repo);
    }

    private CommitmentOutcome commitOnce(StageContext ctx, CommitmentClient store, int netuid, Hotkey hotkey, String text) {
        for (ExternalEffect e : ctx.effects().ofStage()) {
            if (!e.effectKey().startsWith(EFFECT_PREFIX) || e.status() == EffectStatus.ABSENT) {
                continue;
            }
            JsonNode req = json(e.requestJson());
            boolean ours = req.path("metadata").asText().equals(text) && req.path("netuid").asInt() == netuid
                    && req.path("hotkey").asText().equals(hotkey.ss58Address());
            if (e.status() == EffectStatus.CONFIRMED) {
                if (ours) {
                    long block = json(e.responseJson()).path("block").asLong();
                    return new CommitmentOutcome(new OnChainCommitment(netuid, hotkey.ss58Address(), block, text),
                            req.path("extrinsicHash").asText(), false);
                }
                continue;
            }
            String sentText = req.path("metadata").asText();
            byte[] sentBy = Ss58.decode(req.path("hotkey").asText());
            int sentNetuid = req.path("netuid").asInt();
            PendingExtrinsic pending = new PendingExtrinsic(req.path("extrinsicHash").asText(), req.path("nonce").asLong(),
                    req.path("deathBlock").asLong());
            Reconciliation r = store.reconcile(sentNetuid, sentBy, sentText, pending);
            LOG.info("run {}: earlier commit extrinsic {}: {}", ctx.runId(), pending.extrinsicHash(), r);
            OnChainCommitment landed = null;
            if (r instanceof Reconciliation.Confirmed c) {
                landed = c.commitment();
            } else if (r instanceof Reconciliation.AwaitingFinality a) {
                landed = store.awaitFinal(sentNetuid, sentBy, sentText, a.commitment().block(), null);
            } else if (r instanceof Reconciliation.MayStillLand m) {
                throw new StageException("an earlier commit extrinsic " + pending.extrinsicHash() + " (nonce " + pending.nonce()
                        + ") is not on chain but may still be included until block " + m.deathBlock() + " (now "
                        + m.bestBlock() + "); no second commit is sent before then: resume the run after that block");
            } else {
                ctx.effects().markAbsent(e.effectKey());
            }
            if (landed != null) {
                ctx.effects().confirm(e.effectKey(), response(landed));
                if (ours) {
                    return new CommitmentOutcome(landed, pending.extrinsicHash(), false);
                }
            }
        }
        CommitmentOutcome result = store.commit(netuid, hotkey.keypair(), text,
                x -> ctx.effects().intend(EFFECT_PREFIX + x.hash(), request(x, netuid, text)));
        if (!result.skipped()) {
            ctx.effects().confirm(EFFECT_PREFIX + result.extrinsicHash(), response(result.commitment()));
        }
        return result;
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

    private static String request(PreparedExtrinsic x, int netuid, String text) {
        ObjectNode r = Json.mapper().createObjectNode()
                .put("metadata", text).put("netuid", netuid).put("hotkey", x.signer())
                .put("extrinsicHash", x.hash()).put("nonce", x.nonce()).put("deathBlock", x.deathBlock());
        return r.toString();
    }

    private static String response(OnChainCommitment c) {
        return Json.mapper().createObjectNode().put("block", c.block()).toString();
    }

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text == null ? "{}" : text);
        } catch (IOException e) {
            throw new StageException("a recorded chain-commit effect is not JSON: " + e.getMessage(), e);
        }
    }

    private static String field(JsonNode upload, String name) {
        JsonNode v = upload.get(name);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new StageException("the upload stage's outputs have no '" + name + "': run the upload again");
        }
        return v.asText();
    }
}
