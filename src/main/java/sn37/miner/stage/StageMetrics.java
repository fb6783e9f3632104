package sn37.miner.stage;

import java.time.Duration;
import sn37.miner.eval.TaskScore;
import sn37.miner.metrics.MinerMetrics;
import sn37.miner.publish.PublishedModel;

/** What a finished stage adds to the miner's metrics, read from its own output record. */
public final class StageMetrics {
    private StageMetrics() {}

    /** After {@code stage} succeeded with {@code outputs} in {@code took}. */
    public static void succeeded(MinerMetrics m, String stage, Object outputs, Duration took) {
        m.stageFinished(stage, "succeeded", took);
        if (outputs instanceof Evaluate.Output e && e.evaluated()) {
            m.evaluated(e.metric());
            for (TaskScore t : e.tasks()) {
                if (t.raw() != null) m.taskScored(t.name(), t.raw());
            }
        } else if (outputs instanceof Gate.Output g) {
            m.gateDecided(g.passed());
        } else if (outputs instanceof PublishedModel p) {
            // an adopted commit (a resume, or the head held these files) sent nothing now
            if (!p.reused()) m.uploaded(p.totalBytes(), took);
        } else if (outputs instanceof Commit.Output c) {
            m.chainCommit(c.skipped() ? "unchanged" : "committed");
        }
    }

    /** After {@code stage} failed or was stopped ({@code outcome} failed or cancelled). */
    public static void ended(MinerMetrics m, String stage, String outcome, Duration took) {
        m.stageFinished(stage, outcome, took);
        if (stage.equals(StageNames.COMMIT) && outcome.equals("failed")) m.chainCommit("failed");
    }
}
