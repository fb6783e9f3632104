package sn37.miner.launch;

import java.nio.file.Path;
import sn37.miner.util.Secret;
import sn37.miner.launch.local.LocalTorchrun;
import sn37.miner.launch.slurm.SlurmLauncher;
import sn37.miner.launch.slurm.SlurmSettings;

/** The launcher a run's {@code launcher} parameter names. */
public final class Launchers {
    public static final String LOCAL = LocalTorchrun.NAME;
    public static final String SLURM = "slurm";

    private Launchers() {}

    /**
     * @param jobDir the job directory of the run: the local launcher keeps its record of started jobs there, so a
     *     resumed run finds them
     */
    public static TrainingLauncher forName(String name, LaunchSettings settings, Path jobDir) throws LaunchException {
        return switch (name) {
            case LOCAL -> new LocalTorchrun(jobDir);
            case SLURM -> slurm(settings);
            default -> throw new LaunchException("unknown launcher '" + name + "': expected local or slurm");
        };
    }

    private static TrainingLauncher slurm(LaunchSettings launch) throws LaunchException {
        SlurmSettings settings = launch.slurm().orElseThrow(() ->
                new LaunchException("--launcher slurm needs slurmrestd's address: set train.slurm.url"));
        Secret token = launch.slurmToken().orElseThrow(() -> new LaunchException("--launcher slurm needs a Slurm"
                + " token in the SLURM_JWT environment variable (scontrol token username=<user>)"));
        return new SlurmLauncher(settings, token::reveal);
    }
}
