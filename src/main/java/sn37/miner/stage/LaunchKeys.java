package sn37.miner.stage;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import sn37.miner.config.ConfigException;
import sn37.miner.config.Env;
import sn37.miner.util.Secret;
import sn37.miner.config.Settings;
import sn37.miner.launch.LaunchSettings;
import sn37.miner.launch.slurm.SlurmSettings;

/** The {@code train.*} keys, and the SLURM_JWT environment variable, as the launchers' settings. */
final class LaunchKeys {
    private LaunchKeys() {}

    /** Without the Slurm token: for checks that only need the paths. */
    static LaunchSettings paths(Settings s) {
        return from(s, Env.of(java.util.Map.of()));
    }

    static LaunchSettings from(Settings s, Env env) {
        String memory = s.get("train.device-memory-gib");
        return new LaunchSettings(s.path("train.torch.python"), s.path("train.torch.trainer-dir"),
                s.get("train.job-root").isEmpty() ? Optional.empty() : Optional.of(s.path("train.job-root")),
                slurm(s), env.get("SLURM_JWT").map(Secret::of),
                memory.isEmpty() ? null : s.getInt("train.device-memory-gib", 1, 100_000));
    }

    /** Empty without {@code train.slurm.url}: no cluster is configured. */
    private static Optional<SlurmSettings> slurm(Settings s) {
        String url = s.get("train.slurm.url");
        if (url.isEmpty()) return Optional.empty();
        String timeLimit = s.get("train.slurm.time-limit-minutes");
        try {
            return Optional.of(new SlurmSettings(URI.create(url), blankToNull(s.get("train.slurm.user")),
                    blankToNull(s.get("train.slurm.partition")), s.getInt("train.slurm.tasks-per-node", 1, 1024),
                    timeLimit.isEmpty() ? null
                            : Duration.ofMinutes(s.getInt("train.slurm.time-limit-minutes", 1, 525_600)),
                    s.getInt("train.slurm.rendezvous-port", 1, 65_535), s.getInt("train.slurm.gpus-per-node", 0, 1024),
                    s.getInt("train.slurm.cpus-per-task", 1, 4096), null, null));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("the train.slurm settings do not fit together: " + e.getMessage());
        }
    }

    private static String blankToNull(String value) {
        return value.isBlank() ? null : value;
    }
}
