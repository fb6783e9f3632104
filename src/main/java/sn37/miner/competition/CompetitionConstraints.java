package sn37.miner.competition;

import java.util.List;

/**
 * The one lookup of the constraints a model for a competition must meet: every stage (load, train, evaluate, gate,
 * upload) asks here, so train and upload cannot disagree.
 */
public final class CompetitionConstraints {
    private CompetitionConstraints() {}

    /**
     * The constraints in the last entry that runs the competition, in the first schedule of
     * {@link CompetitionSchedule#NAMES} that has it. Validators check a model against the competition in force at the
     * current block; no stage reads the chain for this, and the last entry running it is the one in force since.
     *
     * @throws IllegalArgumentException for an unknown id or one no schedule runs, naming the ones that are scheduled
     */
    public static ModelConstraints of(int competitionId) {
        CompetitionId id = CompetitionId.fromId(competitionId);
        for (String name : CompetitionSchedule.NAMES) {
            List<CompetitionSchedule.Entry> entries = CompetitionSchedule.named(name).entries();
            for (int i = entries.size() - 1; i >= 0; i--) {
                for (Competition c : entries.get(i).competitions()) {
                    if (c.id() == id) {
                        return c.constraints();
                    }
                }
            }
        }
        throw new IllegalArgumentException("competition " + competitionId + " (" + id + ") is in no competition"
                + " schedule: choose a scheduled one (see 'bin/miner competitions')");
    }
}
