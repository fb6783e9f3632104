package sn37.miner.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;
import sn37.miner.MinerApp;
import sn37.miner.config.Env;
import sn37.miner.config.Settings;
import sn37.miner.pipeline.PipelineServer;
import sn37.miner.stage.BuiltInStages;
import sn37.miner.stage.Stage;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the pipeline server: REST API, queue, schedules and retry sweeper.",
                "Any configuration key can be overridden with --key=value (see config/application.properties)."})
public final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Unmatched
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Env env = Env.load(Path.of(""));
        Settings settings = Settings.load(MinerApp.home(), env, overrides);
        LOG.info("effective configuration:\n  {}", String.join("\n  ", settings.describe()));
        return serve(settings, BuiltInStages.all(settings, env));
    }

    /**
     * Serves until SIGTERM or Ctrl-C: the running stage stops at its next step (train writes a checkpoint), its
     * run is recorded FAILED("interrupted"), resumable, the database is closed, and the exit status is 0.
     */
    public static int serve(Settings settings, List<Stage> stages) throws Exception {
        PipelineServer server = PipelineServer.create(settings, stages);
        try (GracefulStop stop = GracefulStop.install(server, System.err, server::shutdown)) {
            server.runUntilStopped();
        }
        return 0;
    }
}
