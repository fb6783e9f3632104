package sn37.miner.launch;

import java.io.IOException;
import java.util.Optional;

/**
 * Starts the PyTorch trainer somewhere and watches it: a local torchrun child, a Slurm cluster through
 * slurmrestd, later Ray Jobs or a Kubernetes PyTorchJob. The job talks to the orchestrator only through files
 * in its job directory (see trainer/README.md), so a launcher only starts, finds, polls and cancels.
 */
public interface TrainingLauncher {

    /** The launcher's name as the {@code launcher} run parameter spells it. */
    String name();

    /**
     * The job submitted earlier under {@code jobName}, if the launcher still knows it (running or ended), found
     * without starting anything: a resumed attempt re-attaches to it instead of submitting a second job.
     */
    Optional<JobHandle> find(String jobName) throws IOException;

    /**
     * Trainer processes per torchrun agent for a run that asked for {@code requested} ({@code --nproc_per_node}):
     * a launcher that allocates GPUs runs one process per GPU.
     *
     * @throws LaunchException when {@code requested} contradicts what the launcher allocates
     */
    default int nprocPerNode(int requested) throws LaunchException {
        return requested;
    }

    /** Submits the job; returns once the launcher has accepted it (it may still be pending). */
    JobHandle submit(JobRequest request) throws IOException;

    /**
     * Where the job stands now.
     *
     * @throws LaunchException whose {@link LaunchException#jobGone()} is true when the launcher has forgotten the
     *     job: it ended long ago, and its job directory tells how
     */
    JobState state(JobHandle job) throws IOException;

    /**
     * Asks the job to stop: the trainer gets SIGTERM, writes a checkpoint and exits. Returns at once; poll
     * {@link #state} for the end. Cancelling an ended job does nothing.
     */
    void cancel(JobHandle job) throws IOException;
}
