package sn37.miner.stage;

import java.time.Duration;
import sn37.miner.chain.ChainOptions;
import sn37.miner.hub.HubClient;
import sn37.miner.hub.RetryPolicy;
import sn37.miner.hub.UploadListener;
import sn37.miner.competition.CompetitionConstraints;

/** The real upload stage, pre-flight included, for tests outside this package: Hub retries without long waits. */
public final class UploadStages {
    private UploadStages() {}

    public static Stage quickRetries(StageServices services, ChainOptions chain) {
        RetryPolicy quick = new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1));
        return new Upload(services, (endpoint, token) -> HubClient.builder(endpoint, token).retryPolicy(quick).build(),
                CompetitionConstraints::of, UploadListener.NONE, chain);
    }
}
