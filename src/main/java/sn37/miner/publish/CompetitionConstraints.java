package sn37.miner.publish;

import java.util.List;
import sn37.miner.competition.Competition;
import sn37.miner.competition.CompetitionId;
import sn37.miner.competition.CompetitionSchedule;
import sn37.miner.competition.ModelConstraints;

/** The constraints a model published now must meet. */
public final class CompetitionConstraints {
    private CompetitionConstraints() {}

    /**
     * The competition's constraints in the last entry of the Oct 2024 schedule, or, for a competition not there, as
     * it is live now ({@link CompetitionSchedule#liveNow}: competition 4). Validators check a model against the
     * competition in force at the current block; the stage does not read the chain, and the last entry (from block
     * 4,250,808) is the one in force at any block since.
     */
    public static ModelConstraints latestOct2024(int competitionId) {
        CompetitionSchedule schedule = CompetitionSchedule.oct2024();
        List<CompetitionSchedule.Entry> entries = schedule.entries();
        long latest = entries.get(entries.size() - 1).startBlock();
        CompetitionId id;
        try {
            id = CompetitionId.fromId(competitionId);
        } catch (IllegalArgumentException e) {
            throw new PublishException("--competition_id " + competitionId + ": " + e.getMessage(), e);
        }
        return schedule.find(id, latest).or(() -> CompetitionSchedule.liveNow(id)).map(Competition::constraints)
                .orElseThrow(() -> new PublishException(
                "--competition_id " + competitionId + " (" + id + ") is not live in the " + schedule.name()
                        + " schedule; live there: " + schedule.competitionsAt(latest).stream()
                        .map(c -> c.id().id() + " (" + c.id() + ")").toList()));
    }
}
