package sn37.miner.launch;

/**
 * A submitted job as its launcher identifies it; what the run store records so a resumed run re-attaches.
 *
 * @param launcher the launcher's {@link TrainingLauncher#name()}
 * @param id the launcher's own id (a Slurm job id; for a local child, {@code pid:startTicks})
 * @param name the {@link JobRequest#name()} it was submitted under
 */
public record JobHandle(String launcher, String id, String name) {}
