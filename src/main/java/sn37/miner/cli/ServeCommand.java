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
        PipelineServer.create(settings, BuiltInStages.all(settings, env)).runUntilStopped();
        return 0;
    }
}
