package sn37.miner.launch;

import java.nio.file.Path;
import sn37.miner.launch.local.LocalTorchrun;

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
            // The Slurm launcher (slurmrestd) plugs in here: return new SlurmLauncher(settings.slurm(), ...).
            case SLURM -> throw new LaunchException("--launcher slurm: this build has no Slurm launcher; use"
                    + " --launcher local");
            default -> throw new LaunchException("unknown launcher '" + name + "': expected local or slurm");
        };
    }
}
