package sn37.miner.launch;

import java.nio.file.Path;
import java.util.Optional;
import sn37.miner.config.Secret;

/**
 * Where the PyTorch trainer is and where its jobs run: the {@code train.*} configuration keys.
 *
 * @param python the trainer environment's Python, as the job's nodes see it
 * @param trainerDir the trainer's folder (train.py), as the job's nodes see it
 * @param jobRoot where job directories go; empty: under the run's work dir
 * @param slurm the Slurm cluster, for {@code --launcher slurm}
 * @param deviceMemoryGib memory of one of the job's devices in GiB, for the memory planner; null: measured on this
 *     machine (nvidia-smi, or /proc/meminfo for CPU processes), which a cluster's nodes may not match
 */
public record LaunchSettings(Path python, Path trainerDir, Optional<Path> jobRoot, Slurm slurm,
        Integer deviceMemoryGib) {

    /**
     * slurmrestd and the job's shape on the cluster.
     *
     * @param url slurmrestd's base URL, or empty when no cluster is configured
     * @param partition empty: the cluster's default
     * @param timeLimitMinutes null: the partition's default
     * @param gpusPerNode GPUs each node of the job asks for; 0 asks for none (a CPU job)
     * @param jwt from the SLURM_JWT environment variable only; never logged or stored
     */
    public record Slurm(String url, String user, String partition, int tasksPerNode, Integer timeLimitMinutes,
            int rendezvousPort, int gpusPerNode, Optional<Secret> jwt) {

        public Slurm withPartition(String name) {
            return new Slurm(url, user, name, tasksPerNode, timeLimitMinutes, rendezvousPort, gpusPerNode, jwt);
        }
    }

    /** The trainer in {@code home}'s trainer/ with its .venv, jobs under the run's work dir, no cluster. */
    public static LaunchSettings local(Path home) {
        return new LaunchSettings(home.resolve("trainer/.venv/bin/python"), home.resolve("trainer"), Optional.empty(),
                new Slurm("", "", "", 1, null, 29500, 0, Optional.empty()), null);
    }

    public LaunchSettings withPython(Path path) {
        return new LaunchSettings(path, trainerDir, jobRoot, slurm, deviceMemoryGib);
    }

    public LaunchSettings withPartition(String name) {
        return new LaunchSettings(python, trainerDir, jobRoot, slurm.withPartition(name), deviceMemoryGib);
    }
}
