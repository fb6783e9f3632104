package sn37.miner.launch;

import java.nio.file.Path;
import java.util.Optional;
import sn37.miner.util.Secret;
import sn37.miner.launch.slurm.SlurmSettings;

/**
 * Where the PyTorch trainer is and where its jobs run: the {@code train.*} configuration keys.
 *
 * @param python the trainer environment's Python, as the job's nodes see it
 * @param trainerDir the trainer's folder (train.py), as the job's nodes see it
 * @param jobRoot where job directories go; empty: under the run's work dir
 * @param slurm the Slurm cluster, for {@code --launcher slurm}; empty when none is configured
 * @param slurmToken from the SLURM_JWT environment variable only; never logged or stored
 * @param deviceMemoryGib memory of one of the job's devices in GiB, for the memory planner; null: measured on this
 *     machine (nvidia-smi, or /proc/meminfo for CPU processes), which a cluster's nodes may not match
 */
public record LaunchSettings(Path python, Path trainerDir, Optional<Path> jobRoot, Optional<SlurmSettings> slurm,
        Optional<Secret> slurmToken, Integer deviceMemoryGib) {

    /** The trainer in {@code home}'s trainer/ with its .venv, jobs under the run's work dir, no cluster. */
    public static LaunchSettings local(Path home) {
        return new LaunchSettings(home.resolve("trainer/.venv/bin/python"), home.resolve("trainer"), Optional.empty(),
                Optional.empty(), Optional.empty(), null);
    }

    public LaunchSettings withPython(Path path) {
        return new LaunchSettings(path, trainerDir, jobRoot, slurm, slurmToken, deviceMemoryGib);
    }

    public LaunchSettings withPartition(String name) {
        return new LaunchSettings(python, trainerDir, jobRoot, slurm.map(s -> s.withPartition(name)), slurmToken,
                deviceMemoryGib);
    }
}
