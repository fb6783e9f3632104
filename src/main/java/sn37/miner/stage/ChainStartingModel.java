package sn37.miner.stage;

import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.chain.BlockRef;
import sn37.miner.chain.ChainException;
import sn37.miner.chain.ChainOptions;
import sn37.miner.chain.SubtensorClient;
import sn37.miner.chain.commitment.CommitmentClient;
import sn37.miner.chain.commitment.Metagraph;
import sn37.miner.chain.commitment.MinerModel;
import sn37.miner.competition.CompetitionSchedule;
import sn37.miner.competition.ModelConstraints;
import sn37.miner.config.Echo;
import sn37.miner.hub.HubClient;
import sn37.miner.hub.HubException;
import sn37.miner.hub.HubToken;
import sn37.miner.publish.ModelDownload;
import sn37.miner.publish.ModelSnapshot;

/**
 * {@code --load_uid N} / {@code --load_best}: the miner's committed metadata on the configured network and netuid,
 * then the Hub snapshot pinned to its commit, size-checked before download and hash-checked against the chain's
 * secure hash as validators do (reference §1.3, §3.2).
 */
final class ChainStartingModel {
    private static final Logger LOG = LoggerFactory.getLogger(ChainStartingModel.class);

    /** The downloaded snapshot, the constraints of the competition it was committed for, and who committed it when. */
    record Snapshot(Path dir, ModelConstraints constraints, long block, String hotkey) {}

    private final StageServices services;
    private final ChainOptions chainOptions;

    ChainStartingModel(StageServices services, ChainOptions chainOptions) {
        this.services = services;
        this.chainOptions = chainOptions;
    }

    Snapshot fetch(RunParams p) throws Exception {
        return fetch(p, Progress.NONE);
    }

    /** @param progress gets the download's bytes as {@code load-model} events */
    Snapshot fetch(RunParams p, Progress progress) throws Exception {
        String flag = p.loadBest() ? "--load_best" : "--load_uid " + p.loadUid();
        String endpoint = services.endpoints().subtensor(p.subtensorNetwork(), p.subtensorChainEndpoint());
        MinerModel miner;
        try (SubtensorClient chain = SubtensorClient.connect(endpoint, chainOptions)) {
            CommitmentClient commitments = new CommitmentClient(chain, services.clock());
            Metagraph metagraph = new Metagraph(chain);
            BlockRef at = chain.bestBlock();
            miner = (p.loadBest()
                    ? metagraph.bestModel(p.netuid(), p.competitionId(), commitments, at)
                    : metagraph.modelOfUid(p.netuid(), p.loadUid(), commitments, at))
                    .orElseThrow(() -> new StageException(flag + ": no committed model "
                            + (p.loadBest() ? "of competition " + p.competitionId() + " among the top uids"
                                    : "for that uid (" + whyNoModel(metagraph, commitments, p, at) + ")")
                            + " on netuid " + p.netuid() + " of " + endpoint));
        } catch (ChainException e) {
            throw new StageException(flag + ": cannot read the chain at " + endpoint + ": " + e.getMessage(), e);
        }
        String committed = flag + ": uid " + miner.uid() + " committed " + miner.modelId().toCompressedString();
        int competition = miner.modelId().competitionId();
        if (!CompetitionSchedule.scheduled(competition)) {
            throw new StageException(committed + ": no competition schedule runs competition " + competition
                    + ", so no validator scores that model");
        }
        ModelConstraints constraints = LoadModel.constraints(competition);
        Path root = p.modelDir() != null ? Path.of(p.modelDir()) : services.home().resolve("local-models");
        HubToken token = services.secrets().hfToken().map(t -> HubToken.of(t.reveal())).orElse(null);
        ModelSnapshot snapshot;
        try {
            String what = miner.modelId().namespace() + "/" + miner.modelId().name();
            snapshot = new ModelDownload(HubClient.create(services.endpoints().hub(), token), (bytes, total) ->
                    progress.report(ProgressEvent.bytes(StageNames.LOAD_MODEL, what, bytes, total)))
                    .fetch(miner.modelId(), constraints, root.toAbsolutePath().normalize(), miner.hotkey());
        } catch (HubException e) {
            throw new StageException(committed + ", which cannot be downloaded: " + e.getMessage(), e);
        }
        LOG.info("{}: uid {} ({}) committed {} at block {}; snapshot {}", flag, miner.uid(), miner.hotkey(),
                miner.modelId().toCompressedString(), miner.block(), snapshot.dir());
        return new Snapshot(snapshot.dir(), constraints, miner.block(), miner.hotkey());
    }

    /** Why a uid has no model: not registered, no commitment, or a commitment that is not model metadata. */
    private static String whyNoModel(Metagraph metagraph, CommitmentClient commitments, RunParams p, BlockRef at) {
        Optional<byte[]> hotkey = metagraph.hotkeyOf(p.netuid(), p.loadUid(), at);
        if (hotkey.isEmpty()) return "it is not registered";
        return commitments.read(p.netuid(), hotkey.get(), at)
                .map(c -> "its commitment is not model metadata: " + Echo.quoted(c.text())
                        + "; expected namespace:name:commit:secure_hash:competition_id")
                .orElse(commitments.exists(p.netuid(), hotkey.get(), at)
                        ? "its commitment is not Raw UTF-8 text, so not model metadata" : "it has committed nothing");
    }
}
