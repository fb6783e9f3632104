package sn37.miner.launch.slurm;

import java.util.List;

/**
 * A job as slurmctld describes it, the same for every API version.
 *
 * @param states the base state first ({@code RUNNING}), then any flags ({@code COMPLETING}); v0.0.38 gives one
 * @param exitCode the batch script's exit status (128 + signal when a signal ended it), or null while unknown
 * @param reason Slurm's state reason and description ({@code Resources}, {@code NonZeroExitCode}), or null
 * @param submitTime Unix seconds
 */
public record SlurmJob(long id, String name, String user, List<String> states, Integer exitCode, String reason,
        long submitTime) {

    public SlurmJob {
        states = List.copyOf(states);
    }
}
