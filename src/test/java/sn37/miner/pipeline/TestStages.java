package sn37.miner.pipeline;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import sn37.miner.config.Endpoints;
import sn37.miner.config.Secrets;
import sn37.miner.data.Sn1DataSettings;
import sn37.miner.stage.FetchData;
import sn37.miner.stage.RunParams;
import sn37.miner.stage.Stage;
import sn37.miner.stage.StageContext;
import sn37.miner.stage.StageServices;
import sn37.miner.stage.StageException;

/** Stages for tests: count calls, block until released, or always fail. */
final class TestStages {
    private TestStages() {}

    /**
     * The real fetch-data stage with no secrets and remotes that refuse at once, without waits between retries:
     * local JSONL sources only (FINEWEB's texts, which an online run fetches, are recorded as not fetched).
     */
    static FetchData fetchData() {
        return new FetchData(new StageServices(new Secrets(Optional.empty(), Optional.empty(), Optional.empty()),
                new Endpoints(TestServer.NOWHERE, TestServer.NOWHERE, Map.of()), Path.of("").toAbsolutePath(),
                Clock.systemUTC()), Sn1DataSettings.defaults().withDatasetViewerUrl(TestServer.NOWHERE)
                .withSleeper(wait -> {}));
    }

    /** A test stage wrapped around a real one: same name, same requirements. */
    abstract static class Wrapping implements Stage {
        final Stage inner;
        final AtomicInteger runs = new AtomicInteger();

        Wrapping(Stage inner) {
            this.inner = inner;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public List<String> requires(RunParams params) {
            return inner.requires(params);
        }
    }

    /** Delegates to a real stage and counts how often it really ran. */
    static final class Counting extends Wrapping {
        Counting(Stage inner) {
            super(inner);
        }

        @Override
        public Object run(StageContext ctx) throws Exception {
            runs.incrementAndGet();
            return inner.run(ctx);
        }
    }

    /** The first call blocks until {@link #release}; later calls delegate at once. */
    static final class BlockingOnce extends Wrapping {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        BlockingOnce(Stage inner) {
            super(inner);
        }

        @Override
        public Object run(StageContext ctx) throws Exception {
            if (runs.incrementAndGet() == 1) {
                entered.countDown();
                release.await(60, TimeUnit.SECONDS);
                throw new StageException("released after the process was stopped");
            }
            return inner.run(ctx);
        }
    }

    /**
     * A train stage that reports one step per permit released on {@link #steps} (loss falling from 3), and returns
     * the losses as the real one does once all {@code total} are reported.
     */
    static final class Stepping implements Stage {
        final java.util.concurrent.Semaphore steps;
        final int total;

        Stepping(int total) {
            this(total, new java.util.concurrent.Semaphore(0));
        }

        Stepping(int total, java.util.concurrent.Semaphore steps) {
            this.total = total;
            this.steps = steps;
        }

        static double loss(int step) {
            return 3.0 / step;
        }

        @Override
        public String name() {
            return "train";
        }

        @Override
        public Object run(StageContext ctx) throws InterruptedException {
            List<Double> losses = new java.util.ArrayList<>();
            for (int step = 1; step <= total; step++) {
                if (!steps.tryAcquire(60, TimeUnit.SECONDS)) throw new StageException("no permit for step " + step);
                losses.add(loss(step));
                ctx.progress().report(sn37.miner.stage.ProgressEvent.step("train", step, total, 1, loss(step), 1e-3,
                        0.5, 100.0 * step));
            }
            return Map.of("modelDir", "stand-in for train", "steps", total, "stepLosses", losses);
        }
    }

    /** A publish stage whose remote is always down. */
    static final class AlwaysFailing implements Stage {
        final String name;
        final AtomicInteger runs = new AtomicInteger();

        AlwaysFailing(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Object run(StageContext ctx) {
            runs.incrementAndGet();
            throw new StageException("remote answered 503 (attempt " + runs.get() + ")", new sn37.miner.hub.HubException(
                    "HTTP 503", new sn37.miner.hub.HubException.Info(null, 503, null, null, null)));
        }
    }

    /** Returns the same outputs every time, e.g. a train stage's recorded losses. */
    record Fixed(String name, Map<String, Object> outputs) implements Stage {
        @Override
        public Object run(StageContext ctx) {
            return outputs;
        }
    }

    /**
     * Stands in for load-model, train or evaluate in pipeline tests about run state, so a run reaches the gate in
     * milliseconds: evaluate reports {@link #METRIC}, so a threshold above it passes the gate and one at or below
     * it rejects the run.
     */
    static final class PassThrough implements Stage {
        static final double METRIC = 0.3;
        final String name;

        PassThrough(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Object run(StageContext ctx) {
            if (name.equals("evaluate")) return Map.of("metric", METRIC);
            return Map.of("modelDir", "stand-in for " + name);
        }
    }
}
