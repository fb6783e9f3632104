package sn37.miner.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.config.PipelineSettings;
import sn37.miner.metrics.MinerMetrics;
import sn37.miner.run.Run;
import sn37.miner.run.RunConflictException;
import sn37.miner.run.RunStore;
import sn37.miner.stage.StageNames;

/**
 * Resumes runs that failed in upload or commit for a transient reason (a remote was down, a rate limit hit; see
 * {@link FailureClassifier}) once their backoff has elapsed, up to {@code pipeline.sweeper.max-retries} times.
 * Permanent failures (a missing wallet, 401/403, invalid input) and failures of other stages wait for a person.
 */
public final class RetrySweeper {
    private static final Logger LOG = LoggerFactory.getLogger(RetrySweeper.class);

    private final RunStore store;
    private final RunQueue queue;
    private final PipelineSettings settings;
    private final MinerMetrics metrics;

    RetrySweeper(RunStore store, RunQueue queue, PipelineSettings settings, MinerMetrics metrics) {
        this.store = store;
        this.queue = queue;
        this.settings = settings;
        this.metrics = metrics;
    }

    /** Returns the ids of the runs it resumed. */
    public List<String> sweep() {
        List<String> resumed = new ArrayList<>();
        for (Run run : store.dueForRetry(StageNames.PUBLISH, settings.sweeperMaxRetries())) {
            try {
                queue.resume(run.id(), true);
                resumed.add(run.id());
                metrics.sweeperRetry();
                LOG.info("retry sweeper: resumed run {} (failed in {}; automatic retry {} of {})", run.id(),
                        run.failedStage(), run.autoRetries() + 1, settings.sweeperMaxRetries());
            } catch (RunConflictException e) {
                LOG.info("retry sweeper: run {} not resumed: {}", run.id(), e.getMessage());
            }
        }
        return resumed;
    }
}
