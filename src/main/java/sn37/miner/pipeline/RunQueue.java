package sn37.miner.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.camel.ProducerTemplate;
import sn37.miner.util.Json;
import sn37.miner.run.Run;
import sn37.miner.run.RunStore;
import sn37.miner.stage.RunParams;
import sn37.miner.stage.RunPreflight;

/**
 * Writes runs and hands their ids to {@code seda:runs}. The queue is in memory; the run store is the truth,
 * so runs still QUEUED at start-up are handed over again.
 */
public final class RunQueue {
    public static final String ENDPOINT = "seda:runs";

    private final RunStore store;
    private final ProducerTemplate producer;
    private final RunPreflight preflight;

    RunQueue(RunStore store, ProducerTemplate producer, RunPreflight preflight) {
        this.store = store;
        this.producer = producer;
        this.preflight = preflight;
    }

    /** The API's pre-flight of a run's parameters (paths under the configured roots): throws on the first bad one. */
    public void check(String kind, RunParams params) {
        preflight.check(kind, params);
    }

    /** Writes a QUEUED run and enqueues it; with a key already used, returns that run and enqueues nothing. */
    public RunStore.Created submit(String kind, RunParams params, String trigger, String runKey) {
        String json;
        try {
            json = Json.mapper().writeValueAsString(params);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        RunStore.Created created = store.createRun(kind, json, trigger, runKey);
        if (created.created()) enqueue(created.run().id());
        return created;
    }

    public Run resume(String runId, boolean bySweeper) {
        Run run = store.resume(runId, bySweeper);
        enqueue(runId);
        return run;
    }

    void enqueue(String runId) {
        producer.sendBody(ENDPOINT, runId);
    }
}
