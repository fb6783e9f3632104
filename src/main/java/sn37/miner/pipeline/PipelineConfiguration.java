package sn37.miner.pipeline;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.spi.RestConfiguration;
import sn37.miner.config.MinerVersion;
import sn37.miner.config.PipelineSettings;
import sn37.miner.metrics.GpuMemory;
import sn37.miner.metrics.MeterMetrics;
import sn37.miner.metrics.MinerMetrics;
import sn37.miner.run.ProgressLog;
import sn37.miner.run.RunStore;
import sn37.miner.stage.Progress;
import sn37.miner.stage.RunPreflight;
import sn37.miner.stage.Stage;
import sn37.miner.stage.StageNames;

/** Binds the beans the YAML routes refer to; a stage's step is bound as {@code <stage>-stage}. */
final class PipelineConfiguration implements CamelConfiguration {
    private final PipelineSettings settings;
    private final RunStore store;
    private final List<Stage> stages;
    private final CompetitionDefault.Request scheduleParams;
    private final CompetitionDefault competition;
    private final ScheduledExecutorService heartbeats;
    private final String owner;
    private final ProcessStop stop;
    /** Null when the process serves no HTTP API (the CLI's one-shot mode). */
    private final ApiReadiness api;
    private final RunPreflight preflight;
    /** The name camel-micrometer looks its registry up by (MicrometerConstants.METRICS_REGISTRY_NAME). */
    private static final String METRICS_REGISTRY = "metricsRegistry";
    private final ProgressLog progressLog;
    private RunQueue queue;
    /** Forwards to whatever the process shows progress on (the CLI's bar); nothing by default. */
    private volatile Progress sink = Progress.NONE;
    private final Progress progress = event -> sink.report(event);

    PipelineConfiguration(PipelineSettings settings, RunStore store, List<Stage> stages,
            CompetitionDefault.Request scheduleParams, CompetitionDefault competition,
            ScheduledExecutorService heartbeats, String owner, ProcessStop stop, ApiReadiness api,
            RunPreflight preflight, ProgressLog progressLog) {
        this.competition = competition;
        this.settings = settings;
        this.progressLog = progressLog;
        this.store = store;
        this.stages = stages;
        this.scheduleParams = scheduleParams;
        this.heartbeats = heartbeats;
        this.owner = owner;
        this.stop = stop;
        this.api = api;
        this.preflight = preflight;
    }

    @Override
    public void configure(CamelContext ctx) throws Exception {
        if (api != null) {
            api.setCamelContext(ctx);
            ctx.addStartupListener(api);
            describeApi(ctx.getRestConfiguration(), clientHost(settings) + ":" + api.port());
        }
        Set<String> installed = stageNames(stages);
        Registry r = ctx.getRegistry();
        MinerMetrics metrics = metrics(r);
        queue = new RunQueue(store, ctx.createProducerTemplate(), preflight);
        r.bind("runStore", store);
        r.bind("runQueue", queue);
        r.bind("runFlow", new RunFlow(store, settings, installed, stop, metrics));
        Map<String, Stage> byName = new LinkedHashMap<>();
        for (Stage s : stages) byName.put(s.name(), s);
        r.bind("runApi", new RunApi(store, queue, byName, progressLog, competition));
        r.bind("apiErrors", new ApiErrors());
        r.bind("apiAuth", new ApiAuth(settings));
        r.bind("dashboardFiles", new DashboardFiles());
        r.bind("scheduledTrigger", new ScheduledTrigger(queue, scheduleParams, competition));
        r.bind("retrySweeper", new RetrySweeper(store, queue, settings, metrics));
        Duration beat = settings.heartbeat();
        for (Stage s : stages) {
            r.bind(s.name() + "-stage", new StageStep(s, store, settings.workDir(), installed, owner, heartbeats, beat,
                    progress, progressLog, stop, metrics));
        }
        // routes name every stage of the pipeline; one this build (or a test) lacks fails the run with its name
        for (String name : StageNames.ORDER) {
            if (!installed.contains(name)) {
                r.bind(name + "-stage", (org.apache.camel.Processor) ex -> {
                    throw new StageFailedException(name, "stage " + name + " is not available in this build", null);
                });
            }
        }
    }

    /**
     * The miner's series join the registry Camel's management port scrapes ({@code camel.metrics.*} fills it with
     * Camel's own and the JVM binders); without a management port (the CLI's one-shot mode) nothing is recorded.
     */
    private MinerMetrics metrics(Registry r) {
        if (settings.managementHost().isEmpty()) return MinerMetrics.NONE;
        MeterRegistry meters = r.lookupByNameAndType(METRICS_REGISTRY, MeterRegistry.class);
        if (meters == null) {
            meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            r.bind(METRICS_REGISTRY, meters);
        }
        new GpuMemory().bindTo(meters);
        return new MeterMetrics(meters);
    }

    /** The OpenAPI document's info and its one server: the address the API is bound to, as clients reach it. */
    private static void describeApi(RestConfiguration rest, String hostAndPort) {
        Map<String, Object> props = new HashMap<>(rest.getApiProperties() == null ? Map.of() : rest.getApiProperties());
        props.put("api.title", "SN37 miner API");
        props.put("api.version", MinerVersion.VERSION);
        props.put("api.description", "Runs of the Bittensor subnet 37 miner pipeline: start, resume, cancel, list, show");
        props.put("host", hostAndPort);
        // documentation only: a route's own "consumes" would make Vert.x refuse other types before requireJson
        props.put("api.default.consumes", "application/json");
        rest.setApiProperties(props);
    }

    /** Bound to every interface, the first name of pipeline.api.allowed-hosts, else loopback; else the bound host. */
    static String clientHost(PipelineSettings settings) {
        if (!settings.bindsEveryInterface()) return PipelineSettings.hostName(settings.serverHost());
        return settings.allowedHosts().isEmpty() ? "127.0.0.1" : settings.allowedHosts().get(0);
    }

    void progressTo(Progress target) {
        this.sink = target;
    }

    RunQueue queue() {
        return queue;
    }

    static Set<String> stageNames(List<Stage> stages) {
        return Set.copyOf(stages.stream().map(Stage::name).toList());
    }
}
