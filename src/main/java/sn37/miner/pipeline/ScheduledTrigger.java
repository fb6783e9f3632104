package sn37.miner.pipeline;

import java.time.Instant;
import java.util.Date;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.run.RunStore;
import sn37.miner.stage.RunParams;

/**
 * A fire of the run schedule enqueues a pipeline run keyed by the scheduled fire time, so a double fire of
 * the same slot (misfire handling, two nodes) creates one run.
 */
public final class ScheduledTrigger {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduledTrigger.class);

    private final RunQueue queue;
    private final RunParams params;

    ScheduledTrigger(RunQueue queue, RunParams params) {
        this.queue = queue;
        this.params = params;
    }

    public void fire(Exchange ex) {
        Date scheduled = ex.getIn().getHeader("scheduledFireTime", Date.class);
        Instant slot = scheduled != null ? scheduled.toInstant() : Instant.now();
        try {
            fire(slot);
        } catch (IllegalArgumentException e) {
            LOG.error("schedule fire {}: no run queued: pipeline.schedule.params: {}", slot, e.getMessage());
        }
    }

    public RunStore.Created fire(Instant slot) {
        queue.check(sn37.miner.run.Run.PIPELINE, params); // the files and device may be gone since start-up
        RunStore.Created c = queue.submit(sn37.miner.run.Run.PIPELINE, params, "SCHEDULE", "schedule:" + slot);
        if (c.created()) {
            LOG.info("schedule fire {}: run {} queued", slot, c.run().id());
        } else {
            LOG.info("schedule fire {}: run {} already exists for this slot, nothing queued", slot, c.run().id());
        }
        return c;
    }
}
