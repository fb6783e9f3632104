package sn37.miner.pipeline;

import java.time.Instant;
import java.util.Date;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import sn37.miner.chain.ChainException;
import sn37.miner.run.Run;
import sn37.miner.run.RunStore;
import sn37.miner.stage.RunParams;

/**
 * A fire of the run schedule enqueues a pipeline run keyed by the scheduled fire time, so a double fire of
 * the same slot (misfire handling, two nodes) creates one run.
 */
public final class ScheduledTrigger {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduledTrigger.class);

    private final RunQueue queue;
    private final CompetitionDefault.Request params;
    private final CompetitionDefault competition;

    ScheduledTrigger(RunQueue queue, CompetitionDefault.Request params, CompetitionDefault competition) {
        this.queue = queue;
        this.params = params;
        this.competition = competition;
    }

    public void fire(Exchange ex) {
        Date scheduled = ex.getIn().getHeader("scheduledFireTime", Date.class);
        Instant slot = scheduled != null ? scheduled.toInstant() : Instant.now();
        try {
            fire(slot);
        } catch (IllegalArgumentException e) {
            LOG.error("schedule fire {}: no run queued: pipeline.schedule.params: {}", slot, e.getMessage());
        } catch (ChainException e) {
            LOG.error("schedule fire {}: no run queued: pipeline.schedule.params name no competition_id, and the"
                    + " chain's current block cannot be read to find the one live now ({}); set competition_id there,"
                    + " or {}", slot, e.getMessage(), CompetitionDefault.KEY);
        }
    }

    /**
     * Queues the slot's run; a schedule that names no competition gets the one live at this fire's block.
     *
     * @throws ChainException when that block cannot be read: nothing is queued
     */
    public RunStore.Created fire(Instant slot) {
        RunParams params;
        try {
            params = competition.resolve(this.params);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
        queue.check(Run.PIPELINE, params); // the files and device may be gone since start-up
        RunStore.Created c = queue.submit(Run.PIPELINE, params, "SCHEDULE", "schedule:" + slot);
        if (c.created()) {
            LOG.info("schedule fire {}: run {} queued", slot, c.run().id());
        } else {
            LOG.info("schedule fire {}: run {} already exists for this slot, nothing queued", slot, c.run().id());
        }
        return c;
    }
}
