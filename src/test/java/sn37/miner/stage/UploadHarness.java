package sn37.miner.stage;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import sn37.miner.competition.ModelConstraints;
import sn37.miner.config.Endpoints;
import sn37.miner.util.Secret;
import sn37.miner.config.Secrets;
import sn37.miner.publish.PublishedModel;
import sn37.miner.run.RunDatabase;
import sn37.miner.run.RunStore;
import sn37.miner.run.StoreEffects;

/**
 * The upload stage of one run on a real run store: what a benchmark outside this package needs to run the stage,
 * crash it (the fake Hub fails part uploads from the given one on) and resume it the way the runner would.
 */
public final class UploadHarness implements AutoCloseable {
    private final RunDatabase db;
    private final RunStore store;
    private final String runId;
    private final Path workDir;
    private final StageServices services;
    private final int partParallelism;
    private final IntFunction<ModelConstraints> limits;

    public UploadHarness(Path dir, String hubEndpoint, String token, IntFunction<ModelConstraints> limits,
            int partParallelism) {
        this.db = RunDatabase.open(dir.resolve("db"));
        this.store = new RunStore(db.dataSource());
        this.runId = store.createRun("pipeline", "{}", "HTTP", null).run().id();
        this.workDir = dir.resolve("work");
        this.services = new StageServices(new Secrets(Optional.of(Secret.of(token)), Optional.empty(), Optional.empty()),
                new Endpoints(hubEndpoint, "http://127.0.0.1:9", Map.of()), dir, Clock.systemUTC());
        this.partParallelism = partParallelism;
        this.limits = limits;
    }

    /** One attempt of the stage. */
    public PublishedModel run(RunParams params) throws Exception {
        StageContext.Outputs none = new StageContext.Outputs() {
            @Override
            public <T> Optional<T> of(String stage, Class<T> type) {
                return Optional.empty();
            }
        };
        StageContext ctx = StageContexts.of(params, workDir).run(runId, 1).outputs(none)
                .effects(new StoreEffects(store, runId, StageNames.UPLOAD)).build();
        return new Upload(services, limits, null, wait -> {}, partParallelism).run(ctx);
    }

    @Override
    public void close() {
        db.close();
    }
}
