package sn37.miner.chain.commitment;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.chain.BlockRef;
import sn37.miner.chain.ChainException;
import sn37.miner.chain.Data;
import sn37.miner.chain.ExtrinsicFailedException;
import sn37.miner.chain.ExtrinsicOutcomeUnknownException;
import sn37.miner.chain.ExtrinsicSubmitter;
import sn37.miner.chain.Inclusion;
import sn37.miner.chain.PreparedExtrinsic;
import sn37.miner.chain.Registration;
import sn37.miner.chain.SetCommitment;
import sn37.miner.chain.Ss58;
import sn37.miner.chain.SubtensorClient;
import sn37.miner.chain.SubtensorStorage;
import sn37.miner.chain.crypto.Sr25519Keypair;
import sn37.miner.chain.runtime.PortableType;
import sn37.miner.chain.runtime.RuntimeMetadata;
import sn37.miner.chain.scale.ScaleException;
import sn37.miner.chain.scale.VariantSkipper;

/**
 * Reads and writes SN37 model metadata in {@code Commitments.CommitmentOf}. Writing is idempotent, unlike the
 * reference's write-then-read loop (reference-miner.md §2.6): read first and skip when the chain holds exactly
 * this text; check registration and the runtime's rate limit before signing; follow the extrinsic to finality;
 * confirm by reading back. An extrinsic whose outcome is lost is settled by reading the chain, never by resending.
 */
public final class CommitmentClient {
    private static final Logger LOG = LoggerFactory.getLogger(CommitmentClient.class);
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();
    private static final int MAX_LOGGED = 10_000;

    private final SubtensorClient chain;
    private final ExtrinsicSubmitter submitter;
    private final Metagraph metagraph;
    private final Clock clock;

    public CommitmentClient(SubtensorClient chain, Clock clock) {
        this.chain = chain;
        this.submitter = new ExtrinsicSubmitter(chain);
        this.metagraph = new Metagraph(chain);
        this.clock = clock;
    }

    /**
     * The text of the first field when it is {@code Raw} UTF-8. Anything else (another Data variant, invalid UTF-8,
     * undecodable bytes) is someone else's business: absent, logged once per hotkey and block.
     */
    public Optional<OnChainCommitment> read(int netuid, byte[] hotkey, BlockRef at) {
        Optional<byte[]> raw = chain.read(SubtensorStorage.COMMITMENT_OF, at, CommitWindow.u16(netuid), hotkey);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        String ss58 = Ss58.encode(hotkey);
        Registration registration;
        try {
            registration = Registration.decode(raw.get(), dataSkipper(chain.metadata()));
        } catch (ScaleException e) {
            logOnce(netuid, ss58, "?", "undecodable commitment (" + e.getMessage() + ")");
            return Optional.empty();
        }
        if (registration.info().fields().isEmpty() || !(registration.info().fields().get(0) instanceof Data.Raw field)) {
            logOnce(netuid, ss58, registration.block(), "first commitment field is not Raw: " + registration.info().fields());
            return Optional.empty();
        }
        Optional<String> text = strictUtf8(field.bytes());
        if (text.isEmpty()) {
            logOnce(netuid, ss58, registration.block(), "commitment is not UTF-8 (" + field.bytes().length + " bytes)");
            return Optional.empty();
        }
        return Optional.of(new OnChainCommitment(netuid, ss58, registration.block(), text.get()));
    }

    /** Whether the hotkey has any commitment on {@code netuid}, readable or not. */
    public boolean exists(int netuid, byte[] hotkey, BlockRef at) {
        return chain.read(SubtensorStorage.COMMITMENT_OF, at, CommitWindow.u16(netuid), hotkey).isPresent();
    }

    /** The model a hotkey committed, when its text parses as a taoverse ModelId; garbage is absent, logged once. */
    public Optional<MinerModel> modelOf(int netuid, int uid, byte[] hotkey, BlockRef at) {
        return read(netuid, hotkey, at).flatMap(c -> {
            if (c.modelId().isEmpty()) {
                logOnce(netuid, c.hotkey(), c.block(), "commitment is not model metadata: '" + printable(c.text()) + "'");
            }
            return c.modelId().map(id -> new MinerModel(uid, c.hotkey(), id, c.block()));
        });
    }

    /**
     * What {@link #prepare} found: the chain holds the text already ({@code onChain}, final; nothing to send), or
     * the signed extrinsic that puts it there.
     */
    public record Prepared(int netuid, byte[] hotkey, String text, CommitmentOutcome onChain,
            PreparedExtrinsic extrinsic) {}

    /**
     * Puts {@code text} on chain as the hotkey's commitment on {@code netuid}, at most once. {@code beforeSubmit}
     * sees the signed extrinsic right before it is sent (to record the intent durably); it is not called when
     * nothing needs sending.
     *
     * @throws NotRegisteredException the hotkey has no uid on the netuid
     * @throws CommitTooEarlyException the runtime's rate limit forbids it now; the message says from which block
     * @throws CommitPendingException sent, but not settled in time; read again later, do not resend
     */
    public CommitmentOutcome commit(int netuid, Sr25519Keypair signer, String text, Consumer<PreparedExtrinsic> beforeSubmit) {
        Prepared prepared = prepare(netuid, signer, text);
        if (prepared.onChain() != null) {
            return prepared.onChain();
        }
        beforeSubmit.accept(prepared.extrinsic());
        return submit(prepared);
    }

    /**
     * Everything of {@link #commit} before the submission: reads the chain first (holding exactly this text already
     * means nothing to send), checks registration and the runtime's rate limit, then signs the extrinsic.
     */
    public Prepared prepare(int netuid, Sr25519Keypair signer, String text) {
        byte[] hotkey = signer.publicKey();
        String ss58 = Ss58.encode(hotkey);
        Data.Raw field = rawField(text);
        BlockRef best = chain.bestBlock();
        Optional<OnChainCommitment> now = read(netuid, hotkey, best);
        if (now.isPresent() && now.get().text().equals(text)) {
            LOG.info("netuid {} hotkey {}: the chain holds this metadata since block {}; nothing to send", netuid, ss58,
                    now.get().block());
            CommitmentOutcome held = new CommitmentOutcome(awaitFinal(netuid, hotkey, text, now.get().block(), null),
                    null, true);
            return new Prepared(netuid, hotkey, text, held, null);
        }
        if (metagraph.uidOf(netuid, hotkey, best).isEmpty()) {
            throw new NotRegisteredException(ss58, netuid, chain.endpoint());
        }
        CommitWindow.Verdict window = CommitWindow.check(chain, netuid, hotkey, field.bytes().length, best);
        if (!window.open()) {
            throw new CommitTooEarlyException(window.reason(), window.firstBlock(), best.number(), chain.blockTime(), clock.instant());
        }
        byte[] call = setCommitmentCall(chain.metadata(), netuid, text);
        return new Prepared(netuid, hotkey, text, null, submitter.prepare(signer, call));
    }

    /**
     * Submits a prepared extrinsic and follows it to finality, confirming by reading back. A lost outcome is settled
     * by reading the chain, never by resending.
     */
    public CommitmentOutcome submit(Prepared prepared) {
        int netuid = prepared.netuid();
        String text = prepared.text();
        byte[] hotkey = prepared.hotkey();
        String ss58 = Ss58.encode(hotkey);
        PreparedExtrinsic x = prepared.extrinsic();
        Inclusion inclusion;
        try {
            inclusion = submitter.submitAndWatch(x, true);
        } catch (ExtrinsicOutcomeUnknownException e) {
            LOG.warn("netuid {} hotkey {}: {}; reading the chain to settle it", netuid, ss58, e.getMessage());
            return settle(netuid, hotkey, text, PendingExtrinsic.of(x), e);
        } catch (ExtrinsicFailedException e) {
            throw dispatchFailure(netuid, hotkey, rawField(text), e);
        }
        OnChainCommitment back = read(netuid, hotkey, inclusion.block())
                .filter(c -> c.text().equals(text))
                .orElseThrow(() -> new ChainException("extrinsic " + x.hash() + " succeeded in block "
                        + inclusion.block().number() + ", but CommitmentOf(" + netuid + ", " + ss58
                        + ") there does not hold the committed text"));
        LOG.info("netuid {} hotkey {}: committed in block {} (extrinsic {})", netuid, ss58, back.block(), x.hash());
        return new CommitmentOutcome(back, x.hash(), false);
    }

    /** What became of an extrinsic that was sent, or may have been, judged from chain state alone. */
    public Reconciliation reconcile(int netuid, byte[] hotkey, String text, PendingExtrinsic pending) {
        BlockRef finalized = chain.finalizedBlock();
        Optional<OnChainCommitment> settled = read(netuid, hotkey, finalized).filter(c -> c.text().equals(text));
        if (settled.isPresent()) {
            return new Reconciliation.Confirmed(settled.get());
        }
        BlockRef best = chain.bestBlock();
        Optional<OnChainCommitment> onBest = read(netuid, hotkey, best).filter(c -> c.text().equals(text));
        if (onBest.isPresent()) {
            return new Reconciliation.AwaitingFinality(onBest.get());
        }
        if (best.number() + 1 < pending.deathBlock()) {
            long nonce = chain.read(SubtensorStorage.ACCOUNT_NONCE, best, hotkey).orElse(0L);
            if (nonce <= pending.nonce()) {
                return new Reconciliation.MayStillLand(pending.deathBlock(), best.number());
            }
        }
        return new Reconciliation.Absent();
    }

    /** Waits up to the finality budget for block {@code block} to be final and re-reads the commitment there. */
    public OnChainCommitment awaitFinal(int netuid, byte[] hotkey, String text, long block, Throwable cause) {
        Duration blockTime = chain.blockTime();
        long deadline = System.nanoTime() + blockTime.multipliedBy(chain.options().finalityBlocks()).toNanos();
        while (true) {
            BlockRef finalized = chain.finalizedBlock();
            if (finalized.number() >= block) {
                return read(netuid, hotkey, finalized).filter(c -> c.text().equals(text)).orElseThrow(() ->
                        new ChainException("the commitment seen in block " + block + " is not in the finalized chain"
                                + " (block " + finalized.number() + "): the block was retracted; run again to commit"));
            }
            if (System.nanoTime() > deadline) {
                throw new CommitPendingException("the commitment of " + Ss58.encode(hotkey) + " on netuid " + netuid
                        + " is in block " + block + ", but the chain finalized only up to block " + finalized.number()
                        + " within " + chain.options().finalityBlocks() + " blocks; nothing more is sent, resume later to"
                        + " confirm it", cause);
            }
            sleep(Duration.ofMillis(Math.max(50, blockTime.toMillis() / 2)));
        }
    }

    private CommitmentOutcome settle(int netuid, byte[] hotkey, String text, PendingExtrinsic pending, ExtrinsicOutcomeUnknownException lost) {
        Reconciliation r;
        try {
            r = reconcile(netuid, hotkey, text, pending);
        } catch (ChainException e) {
            throw new CommitPendingException("extrinsic " + pending.extrinsicHash() + " was sent but its outcome is unknown ("
                    + lost.getMessage() + "), and reading the chain failed too: " + e.getMessage() + "; nothing more is"
                    + " sent, resume later to settle it from chain state", e);
        }
        if (r instanceof Reconciliation.Confirmed c) {
            return new CommitmentOutcome(c.commitment(), pending.extrinsicHash(), false);
        }
        if (r instanceof Reconciliation.AwaitingFinality a) {
            return new CommitmentOutcome(awaitFinal(netuid, hotkey, text, a.commitment().block(), lost), pending.extrinsicHash(), false);
        }
        if (r instanceof Reconciliation.MayStillLand m) {
            throw new CommitPendingException("extrinsic " + pending.extrinsicHash() + " is not on chain yet but may still be"
                    + " included until block " + m.deathBlock() + " (now " + m.bestBlock() + "); nothing more is sent"
                    + " before then, resume later to settle it", lost);
        }
        throw new ChainException("extrinsic " + pending.extrinsicHash() + " did not land and no longer can (" + lost.getMessage()
                + "); run the commit again to send a new one", lost);
    }

    private ChainException dispatchFailure(int netuid, byte[] hotkey, Data.Raw field, ExtrinsicFailedException e) {
        String error = e.failure().error();
        if (e.failure().pallet().equals("Commitments")
                && (error.equals("CommitmentSetRateLimitExceeded") || error.equals("SpaceLimitExceeded"))) {
            BlockRef best = chain.bestBlock();
            CommitWindow.Verdict w = CommitWindow.check(chain, netuid, hotkey, field.bytes().length, best);
            long first = w.open() ? best.number() + 1 : w.firstBlock();
            return new CommitTooEarlyException("the chain refused the commitment at dispatch in block " + e.block().number()
                    + " with Commitments." + error + (w.open() ? "" : " (" + w.reason() + ")"), first, best.number(),
                    chain.blockTime(), clock.instant());
        }
        if (e.failure().isModuleError("Commitments", "AccountNotAllowedCommit")) {
            return new NotRegisteredException(Ss58.encode(hotkey), netuid, chain.endpoint());
        }
        return e;
    }

    /** The call bytes, after checking the runtime still takes {@code (u16, CommitmentInfo)} with room for one field. */
    static byte[] setCommitmentCall(RuntimeMetadata md, int netuid, String text) {
        List<String> args = md.call("Commitments", "set_commitment").fields().stream()
                .map(f -> md.types().describe(f.type())).toList();
        if (!args.equals(List.of("u16", "Vec<Data>"))) {
            throw new ChainException("the runtime changed Commitments.set_commitment: it takes " + args
                    + ", this client sends [u16, Vec<Data>]; update the miner");
        }
        return SetCommitment.call(md.callIndex("Commitments", "set_commitment"), netuid, text);
    }

    private static Data.Raw rawField(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > Data.MAX_RAW_BYTES) {
            throw new IllegalArgumentException("commitment text must be 1 to " + Data.MAX_RAW_BYTES + " bytes of UTF-8, got "
                    + bytes.length + " bytes: shorten the repo id (--hf_repo_id, at most 38 characters)");
        }
        return new Data.Raw(bytes);
    }

    private static VariantSkipper dataSkipper(RuntimeMetadata md) {
        return md.types().byPath("pallet_commitments::types::Data").map(PortableType::id)
                .map(id -> md.types().variantSkipper(id)).orElse(VariantSkipper.NONE);
    }

    private static Optional<String> strictUtf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static String printable(String text) {
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 80 ? clean.substring(0, 80) + "…" : clean;
    }

    private static void logOnce(int netuid, String hotkey, Object block, String what) {
        if (LOGGED.size() > MAX_LOGGED) {
            LOGGED.clear();
        }
        if (LOGGED.add(netuid + "/" + hotkey + "/" + block)) {
            LOG.info("netuid {} hotkey {} block {}: {}; treated as no metadata", netuid, hotkey, block, what);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainException("interrupted while waiting for finality", e);
        }
    }
}
