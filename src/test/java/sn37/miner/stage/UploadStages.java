package sn37.miner.stage;

import sn37.miner.chain.ChainSettings;
import sn37.miner.competition.CompetitionConstraints;

/** The real upload stage, pre-flight included, for tests outside this package: Hub retries without waiting. */
public final class UploadStages {
    private UploadStages() {}

    public static Stage quickRetries(StageServices services, ChainSettings chain) {
        return new Upload(services, CompetitionConstraints::of, chain, wait -> {}, 0);
    }
}
