package sn37.miner.stage;

import java.nio.file.Path;
import java.time.Clock;
import sn37.miner.config.Endpoints;
import sn37.miner.config.Env;
import sn37.miner.config.Secrets;
import sn37.miner.config.Settings;

/**
 * What stages get from the process at construction: secrets, remote endpoints, the miner's home (for bundled
 * resources) and a clock. Run-specific values come through {@link StageContext} instead.
 */
public record StageServices(Secrets secrets, Endpoints endpoints, Path home, Clock clock) {

    public static StageServices from(Settings settings, Env env) {
        return new StageServices(Secrets.from(env), Endpoints.from(settings, env), settings.home(), Clock.systemUTC());
    }
}
