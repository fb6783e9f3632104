package sn37.miner.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.chain.crypto.Sr25519Keypair;
import sn37.miner.chain.runtime.RuntimeMetadata;
import sn37.miner.chain.rpc.ExtrinsicStatus;
import sn37.miner.chain.rpc.Subscription;
import sn37.miner.chain.rpc.SubscriptionListener;
import sn37.miner.chain.scale.Hex;

/**
 * Signs extrinsics against the running runtime (its versions, genesis, signed-extension list; mortal era,
 * the account's next nonce, tip 0, CheckMetadataHash disabled), submits them with
 * {@code author_submitAndWatchExtrinsic}, and follows them to inclusion and finality. At inclusion it reads the
 * block's {@code System.Events} and raises {@link ExtrinsicFailedException} when the call failed there.
 */
public final class ExtrinsicSubmitter {
    private static final Logger LOG = LoggerFactory.getLogger(ExtrinsicSubmitter.class);
    /** sc-rpc-api author errors: 1013 = the pool already holds this very extrinsic. */
    private static final int ALREADY_IMPORTED = 1013;

    private final SubtensorClient chain;

    public ExtrinsicSubmitter(SubtensorClient chain) {
        this.chain = chain;
    }

    public PreparedExtrinsic prepare(Sr25519Keypair signer, byte[] call) {
        RuntimeVersion version = chain.runtimeVersion();
        RuntimeMetadata metadata = chain.metadata(version);
        if (metadata.extrinsicVersion() != 4) {
            throw new ChainException("the runtime uses extrinsic format version " + metadata.extrinsicVersion()
                    + "; this client signs version 4 only: update the miner");
        }
        SignedExtensions extensions = SignedExtensions.fromMetadata(metadata);
        BlockRef best = chain.bestBlock();
        Era.Mortal era = (Era.Mortal) Era.mortal(chain.options().eraPeriod(), best.number());
        long birth = era.birth(best.number());
        String birthHash = birth == best.number() ? best.hash() : chain.blockHash(birth);
        String ss58 = Ss58.encode(signer.publicKey());
        long nonce = chain.accountNextIndex(ss58);
        TransactionParams params = TransactionParams.mortal(version.specVersion(), version.transactionVersion(),
                Hex.decode(chain.genesisHash()), era, Hex.decode(birthHash), nonce);
        byte[] extrinsic = SignedExtrinsic.sign(signer, call, extensions, params);
        return new PreparedExtrinsic(extrinsic, Hex.encode(SignedExtrinsic.hash(extrinsic)), ss58, nonce, birth,
                era.period(), version.specVersion());
    }

    /**
     * Submits and waits for inclusion (and for finality when {@code waitForFinality}). Waits are sized to the
     * chain: inclusion until the era ends, finality for {@link ChainSettings#finalityBlocks()} blocks.
     *
     * @throws ExtrinsicFailedException its call failed in the block
     * @throws ExtrinsicRejectedException it will never be included; a new one may be sent
     * @throws ExtrinsicOutcomeUnknownException the client lost track of it; read the chain before sending again
     */
    public Inclusion submitAndWatch(PreparedExtrinsic x, boolean waitForFinality) {
        BlockingQueue<Object> updates = new LinkedBlockingQueue<>();
        SubscriptionListener listener = new SubscriptionListener() {
            @Override
            public void onNotification(JsonNode result) {
                updates.add(result);
            }

            @Override
            public void onDisconnect(ChainConnectionException cause) {
                updates.add(cause);
            }
        };
        Duration blockTime = chain.blockTime();
        Subscription subscription;
        try {
            subscription = chain.rpc().subscribe("author_submitAndWatchExtrinsic", List.of(x.hex()),
                    "author_unwatchExtrinsic", listener);
        } catch (RpcErrorException e) {
            if (e.code() == ALREADY_IMPORTED) {
                throw new ExtrinsicOutcomeUnknownException(x, null, "extrinsic " + x.hash()
                        + " is already in the node's pool (sent before); its outcome is not known here", e);
            }
            throw new ExtrinsicRejectedException("the node refused extrinsic " + x.hash() + " from " + x.signer() + ": "
                    + e.rpcMessage() + " (JSON-RPC " + e.code() + ")", e);
        } catch (ChainConnectionException | ChainTimeoutException e) {
            throw new ExtrinsicOutcomeUnknownException(x, null, "no answer to the submission of extrinsic " + x.hash()
                    + ": " + e.getMessage(), e);
        }
        LOG.info("submitted extrinsic {} (nonce {}, valid until block {})", x.hash(), x.nonce(), x.deathBlock());
        try (subscription) {
            return follow(x, updates, waitForFinality, blockTime);
        }
    }

    private Inclusion follow(PreparedExtrinsic x, BlockingQueue<Object> updates, boolean waitForFinality, Duration blockTime) {
        long deadline = System.nanoTime() + blockTime.multipliedBy(x.eraPeriod() + 2L).toNanos();
        Inclusion included = null;
        while (true) {
            Object update;
            try {
                update = updates.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unknown(x, included, "interrupted while waiting for extrinsic " + x.hash(), e);
            }
            if (update == null) {
                throw unknown(x, included, included == null
                        ? "extrinsic " + x.hash() + " was not included within " + (x.eraPeriod() + 2) + " blocks"
                        : "extrinsic " + x.hash() + " is in block " + included.block().number() + " but that block was not finalized within "
                                + chain.options().finalityBlocks() + " blocks", null);
            }
            if (update instanceof ChainConnectionException lost) {
                throw unknown(x, included, "lost the connection while following extrinsic " + x.hash()
                        + (included == null ? "" : " (last seen in block " + included.block().number() + ")"), lost);
            }
            ExtrinsicStatus status = ExtrinsicStatus.parse((JsonNode) update);
            if (status instanceof ExtrinsicStatus.InBlock s) {
                included = checkDispatch(x, s.blockHash(), false);
                if (!waitForFinality) {
                    return included;
                }
                deadline = System.nanoTime() + blockTime.multipliedBy(chain.options().finalityBlocks()).toNanos();
            } else if (status instanceof ExtrinsicStatus.Retracted) {
                included = null;
            } else if (status instanceof ExtrinsicStatus.Finalized s) {
                Inclusion done = included != null && included.block().hash().equalsIgnoreCase(s.blockHash())
                        ? included : checkDispatch(x, s.blockHash(), true);
                return new Inclusion(done.extrinsicHash(), done.block(), done.extrinsicIndex(), true);
            } else if (status instanceof ExtrinsicStatus.FinalityTimeout s) {
                throw unknown(x, included, "the node gave up waiting for finality of block " + s.blockHash()
                        + " holding extrinsic " + x.hash(), null);
            } else if (status instanceof ExtrinsicStatus.Dropped) {
                throw unknown(x, included, "the node dropped extrinsic " + x.hash() + " from its pool; another node may"
                        + " still include it until block " + x.deathBlock(), null);
            } else if (status instanceof ExtrinsicStatus.Usurped s) {
                throw new ExtrinsicRejectedException("extrinsic " + x.hash() + " was replaced by " + s.byExtrinsicHash()
                        + ", another extrinsic of " + x.signer() + " with nonce " + x.nonce(), null);
            } else if (status instanceof ExtrinsicStatus.Invalid) {
                throw new ExtrinsicRejectedException("the node declared extrinsic " + x.hash() + " invalid", null);
            }
        }
    }

    private Inclusion checkDispatch(PreparedExtrinsic x, String blockHash, boolean finalized) {
        BlockRef block = chain.block(blockHash.toLowerCase(java.util.Locale.ROOT));
        int index = chain.blockExtrinsics(block.hash()).indexOf(x.hex());
        if (index < 0) {
            throw new ChainException("the node reported extrinsic " + x.hash() + " in block " + block.number()
                    + ", but that block's body does not contain it");
        }
        RuntimeMetadata metadata = chain.metadata();
        byte[] events = SubtensorStorage.EVENTS.decode(metadata, chain.storage(SubtensorStorage.EVENTS.key(metadata), block))
                .orElseThrow();
        Optional<DispatchFailure> failure = SystemEvents.outcome(SystemEvents.decode(events, metadata), index);
        if (failure.isPresent()) {
            throw new ExtrinsicFailedException(x.hash(), block, failure.get());
        }
        return new Inclusion(x.hash(), block, index, finalized);
    }

    private static ExtrinsicOutcomeUnknownException unknown(PreparedExtrinsic x, Inclusion included, String message, Throwable cause) {
        return new ExtrinsicOutcomeUnknownException(x, included == null ? null : included.block(), message, cause);
    }
}
