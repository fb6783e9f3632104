package sn37.miner.launch;

import java.nio.file.Path;
import java.net.URI;
import java.time.Duration;
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
            case SLURM -> slurm(settings.slurm());
            default -> throw new LaunchException("unknown launcher '" + name + "': expected local or slurm");
        };
    }

    private static TrainingLauncher slurm(LaunchSettings.Slurm slurm) throws LaunchException {
        if (slurm.url().isEmpty()) {
            throw new LaunchException("--launcher slurm needs slurmrestd's address: set train.slurm.url");
        }
        if (slurm.jwt().isEmpty()) {
            throw new LaunchException("--launcher slurm needs a Slurm token in the SLURM_JWT environment variable"
                    + " (scontrol token username=<user>)");
        }
        SlurmSettings settings;
        try {
            settings = new SlurmSettings(URI.create(slurm.url()), blankToNull(slurm.user()),
                    blankToNull(slurm.partition()), slurm.tasksPerNode(),
                    slurm.timeLimitMinutes() == null ? null : Duration.ofMinutes(slurm.timeLimitMinutes()),
                    slurm.rendezvousPort(), slurm.gpusPerNode(), null, null);
        } catch (IllegalArgumentException e) {
            throw new LaunchException("the train.slurm settings do not fit together: " + e.getMessage());
        }
        return new SlurmLauncher(settings, () -> slurm.jwt().get().reveal());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
