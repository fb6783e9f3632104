package sn37.miner.stage;

import sn37.miner.chain.ChainException;
import sn37.miner.chain.ChainSettings;
import sn37.miner.chain.SubtensorClient;
import sn37.miner.competition.Competition;
import sn37.miner.competition.CompetitionSchedule;
import sn37.miner.config.Endpoints;

/**
 * The competition of an online run that names none: the one finetuning HEAD's schedule has in force at the chain's
 * current block ({@link CompetitionSchedule#defaultAt}: since block 5,158,632 DISTILLED_REASONING_3B alone,
 * reference-miner.md §4.3). It is read once, when the run is made; the run keeps the id and the block in its
 * parameters ({@code competition_id}, {@code competition_block}), so a resumed run does not choose again.
 */
public final class DefaultCompetition {
    private DefaultCompetition() {}

    /** The competition chosen, the block it was chosen at and the node that gave the block. */
    public record Choice(Competition competition, long block, String endpoint) {
        public int id() {
            return competition.id().id();
        }

        /** "competition 4 (DISTILLED_REASONING_3B), live at block 5200000 (ws://…)". */
        public String describe() {
            return "competition " + id() + " (" + competition.id() + "), live at block " + block + " (" + endpoint + ")";
        }
    }

    /** The node the run's {@code --subtensor.network} / {@code --subtensor.chain_endpoint} name. */
    public static String endpoint(Endpoints endpoints, String network, String chainEndpoint) {
        return endpoints.subtensor(network == null ? "finney" : network, chainEndpoint);
    }

    /**
     * Reads the current block from the node at {@code endpoint} and picks the competition live there.
     *
     * @throws InvalidParameterException when the node cannot be read: the run cannot know its competition
     */
    public static Choice at(String endpoint, ChainSettings options) {
        try {
            return read(endpoint, options);
        } catch (ChainException e) {
            throw new InvalidParameterException("no --competition_id given, and the competition live now cannot be"
                    + " found: the current block cannot be read from " + endpoint + " (" + e.getMessage() + "); pass"
                    + " --competition_id N (see 'bin/miner competitions')");
        }
    }

    /**
     * As {@link #at}, for callers that say themselves how to name a competition.
     *
     * @throws ChainException when the node cannot be read
     */
    public static Choice read(String endpoint, ChainSettings options) {
        long block;
        try (SubtensorClient chain = SubtensorClient.connect(endpoint, options)) {
            block = chain.bestBlock().number();
        } catch (IllegalArgumentException e) {
            throw new ChainException(e.getMessage(), e);
        }
        return new Choice(CompetitionSchedule.later().defaultAt(block), block, endpoint);
    }
}
