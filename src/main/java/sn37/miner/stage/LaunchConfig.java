package sn37.miner.stage;

import java.util.Optional;
import sn37.miner.config.Env;
import sn37.miner.config.Secret;
import sn37.miner.config.Settings;
import sn37.miner.launch.LaunchSettings;

/** The {@code train.*} keys, and the SLURM_JWT environment variable, as the launchers' settings. */
final class LaunchConfig {
    private LaunchConfig() {}

    /** Without the Slurm token: for checks that only need the paths. */
    static LaunchSettings paths(Settings s) {
        return from(s, Env.of(java.util.Map.of()));
    }

    static LaunchSettings from(Settings s, Env env) {
        String timeLimit = s.get("train.slurm.time-limit-minutes");
        LaunchSettings.Slurm slurm = new LaunchSettings.Slurm(s.get("train.slurm.url"), s.get("train.slurm.user"),
                s.get("train.slurm.partition"), s.getInt("train.slurm.tasks-per-node", 1, 1024),
                timeLimit.isEmpty() ? null : s.getInt("train.slurm.time-limit-minutes", 1, 525_600),
                s.getInt("train.slurm.rendezvous-port", 1, 65_535), s.getInt("train.slurm.gpus-per-node", 0, 1024),
                env.get("SLURM_JWT").map(Secret::of));
        String memory = s.get("train.device-memory-gib");
        return new LaunchSettings(s.path("train.torch.python"), s.path("train.torch.trainer-dir"),
                s.get("train.job-root").isEmpty() ? Optional.empty() : Optional.of(s.path("train.job-root")), slurm,
                memory.isEmpty() ? null : s.getInt("train.device-memory-gib", 1, 100_000));
    }
}
