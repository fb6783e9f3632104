package sn37.miner.publish;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.chain.BlockRef;
import sn37.miner.chain.ChainException;
import sn37.miner.chain.ChainSettings;
import sn37.miner.chain.SubtensorClient;
import sn37.miner.chain.commitment.CommitmentClient;
import sn37.miner.chain.commitment.Metagraph;
import sn37.miner.chain.commitment.MinerModel;
import sn37.miner.competition.CompetitionConstraints;
import sn37.miner.competition.CompetitionSchedule;
import sn37.miner.competition.ModelConstraints;
import sn37.miner.util.Echo;
import sn37.miner.hub.HubClient;
import sn37.miner.hub.HubException;

/**
 * A starting model from the chain: a miner's committed metadata on a subtensor node, then the Hub snapshot pinned
 * to its commit, size-checked before download and hash-checked against the chain's secure hash as validators do
 * (reference §1.3, §3.2).
 */
public final class ChainStartingModel {
    private static final Logger LOG = LoggerFactory.getLogger(ChainStartingModel.class);

    /** Whose model: the best of a competition among the top uids ({@code uid} null), or one uid's. */
    public record Choice(int netuid, Integer uid, int competitionId) {
        boolean best() {
            return uid == null;
        }
    }

    /** The downloaded snapshot, the constraints of the competition it was committed for, and who committed it when. */
    public record Snapshot(Path dir, ModelConstraints constraints, long block, String hotkey) {}

    private final String endpoint;
    private final ChainSettings chainSettings;
    private final Clock clock;
    private final HubClient hub;

    /** @param endpoint the subtensor node's websocket URL */
    public ChainStartingModel(String endpoint, ChainSettings chainSettings, Clock clock, HubClient hub) {
        this.endpoint = endpoint;
        this.chainSettings = chainSettings;
        this.clock = clock;
        this.hub = hub;
    }

    /** The chosen miner's committed model, read at the chain's best block. */
    public MinerModel committed(Choice choice) {
        try (SubtensorClient chain = SubtensorClient.connect(endpoint, chainSettings)) {
            CommitmentClient commitments = new CommitmentClient(chain, clock);
            Metagraph metagraph = new Metagraph(chain);
            BlockRef at = chain.bestBlock();
            return (choice.best()
                    ? metagraph.bestModel(choice.netuid(), choice.competitionId(), commitments, at)
                    : metagraph.modelOfUid(choice.netuid(), choice.uid(), commitments, at))
                    .orElseThrow(() -> new PublishException("no committed model "
                            + (choice.best() ? "of competition " + choice.competitionId() + " among the top uids"
                                    : "for that uid (" + whyNoModel(metagraph, commitments, choice, at) + ")")
                            + " on netuid " + choice.netuid() + " of " + endpoint));
        } catch (ChainException e) {
            throw new PublishException("cannot read the chain at " + endpoint + ": " + e.getMessage(), e);
        }
    }

    /**
     * The committed model's snapshot under {@code root} (a Hub cache), once its competition is known to be scored.
     *
     * @param progress gets the download's bytes
     */
    public Snapshot download(MinerModel miner, Path root, ModelDownload.Progress progress) throws IOException {
        String committed = "uid " + miner.uid() + " committed " + miner.modelId().toCompressedString();
        int competition = miner.modelId().competitionId();
        if (!CompetitionSchedule.scheduled(competition)) {
            throw new PublishException(committed + ": no competition schedule runs competition " + competition
                    + ", so no validator scores that model");
        }
        ModelConstraints constraints;
        try {
            constraints = CompetitionConstraints.of(competition);
        } catch (IllegalArgumentException e) {
            throw new PublishException(committed + ": " + e.getMessage(), e);
        }
        ModelSnapshot snapshot;
        try {
            snapshot = new ModelDownload(hub, progress)
                    .fetch(miner.modelId(), constraints, root.toAbsolutePath().normalize(), miner.hotkey());
        } catch (HubException e) {
            throw new PublishException(committed + ", which cannot be downloaded: " + e.getMessage(), e);
        }
        LOG.info("uid {} ({}) committed {} at block {}; snapshot {}", miner.uid(), miner.hotkey(),
                miner.modelId().toCompressedString(), miner.block(), snapshot.dir());
        return new Snapshot(snapshot.dir(), constraints, miner.block(), miner.hotkey());
    }

    /** Why a uid has no model: not registered, no commitment, or a commitment that is not model metadata. */
    private static String whyNoModel(Metagraph metagraph, CommitmentClient commitments, Choice choice, BlockRef at) {
        Optional<byte[]> hotkey = metagraph.hotkeyOf(choice.netuid(), choice.uid(), at);
        if (hotkey.isEmpty()) return "it is not registered";
        return commitments.read(choice.netuid(), hotkey.get(), at)
                .map(c -> "its commitment is not model metadata: " + Echo.quoted(c.text())
                        + "; expected namespace:name:commit:secure_hash:competition_id")
                .orElse(commitments.exists(choice.netuid(), hotkey.get(), at)
                        ? "its commitment is not Raw UTF-8 text, so not model metadata" : "it has committed nothing");
    }
}
