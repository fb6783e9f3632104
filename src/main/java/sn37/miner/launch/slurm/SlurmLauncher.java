package sn37.miner.launch.slurm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import sn37.miner.launch.JobHandle;
import sn37.miner.launch.JobRequest;
import sn37.miner.launch.JobState;
import sn37.miner.launch.LaunchException;
import sn37.miner.launch.TrainingLauncher;
import sn37.miner.launch.slurm.SlurmException.Kind;

/**
 * Runs the trainer as a Slurm batch job through slurmrestd: {@link JobRequest#nnodes()} tasks, one torchrun
 * agent each, {@link SlurmSettings#tasksPerNode()} to a node. The job directory and the Python must be at the same
 * paths on the cluster's nodes, readable and writable by the token's user, whom the job runs as.
 */
public final class SlurmLauncher implements TrainingLauncher {
    public static final String NAME = "slurm";

    private final SlurmSettings settings;
    private final SlurmRestClient client;

    /** @param token the JWT from {@code scontrol token}, read on each call (the {@code SLURM_JWT} variable) */
    public SlurmLauncher(SlurmSettings settings, Supplier<String> token) {
        this(settings, new SlurmRestClient(settings.url(), settings.user(), token, settings.requestTimeout()));
    }

    SlurmLauncher(SlurmSettings settings, SlurmRestClient client) {
        this.settings = settings;
        this.client = client;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<JobHandle> find(String jobName) throws SlurmException {
        return client.newest(jobName).map(job -> new JobHandle(NAME, Long.toString(job.id()), jobName));
    }

    @Override
    public int nprocPerNode(int requested) throws LaunchException {
        return settings.nprocPerNode(requested);
    }

    /** @throws LaunchException when the request's processes per agent are not one per GPU the job asks for */
    @Override
    public JobHandle submit(JobRequest request) throws LaunchException {
        if (settings.nprocPerNode(request.nprocPerNode()) != request.nprocPerNode()) {
            throw new LaunchException("job " + request.name() + " runs " + request.nprocPerNode() + " processes per"
                    + " torchrun agent, but asks Slurm for " + settings.gpusPerNode() + " GPUs per node over "
                    + settings.tasksPerNode() + " agents: one process per GPU");
        }
        int perNode = settings.tasksPerNode();
        int nodes = (request.nnodes() + perNode - 1) / perNode;
        Map<String, String> environment = new LinkedHashMap<>(settings.environment());
        environment.put("OMP_NUM_THREADS", Integer.toString(settings.ompThreads(request.nprocPerNode())));
        environment.putAll(request.environment());
        SlurmJobSpec spec = new SlurmJobSpec(request.name(), BatchScript.torchrun(request, settings.rendezvousPort()),
                settings.partition(), nodes, request.nnodes(), perNode, request.jobDir(), environment,
                request.logFile(), settings.timeLimitMinutes(), settings.gpusPerNode(),
                settings.cpusPerTask());
        return new JobHandle(NAME, Long.toString(client.submit(spec)), request.name());
    }

    @Override
    public JobState state(JobHandle job) throws SlurmException {
        long id = id(job);
        return client.job(id).map(SlurmJobStates::of).orElseThrow(() -> new SlurmException(Kind.JOB_GONE,
                "Slurm no longer knows job " + id + " (" + job.name() + "): it ended longer ago than the cluster's"
                        + " MinJobAge; the job directory holds what it left"));
    }

    /**
     * Cancels the job: Slurm sends SIGTERM to every process of the job, then SIGKILL after KillWait. The trainer's
     * processes may get no grace, though: srun, which slurmrestd's cancel signals too, answers SIGTERM by sending
     * SIGKILL to its tasks (Slurm 22.05 {@code srun_job.c}, {@code _srun_signal_mgr}), racing the trainer's own
     * stop. For a checkpoint, stop the trainer through its stop file first and cancel only what does not end.
     */
    @Override
    public void cancel(JobHandle job) throws SlurmException {
        client.cancel(id(job));
    }

    /** The negotiated slurmrestd API version, e.g. {@code v0.0.38}. */
    public String apiVersion() throws SlurmException {
        return client.version();
    }

    private static long id(JobHandle job) {
        if (!NAME.equals(job.launcher())) {
            throw new IllegalArgumentException("job " + job.name() + " belongs to launcher " + job.launcher()
                    + ", not " + NAME);
        }
        try {
            return Long.parseLong(job.id());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a Slurm job id is a number, got '" + job.id() + "' for " + job.name());
        }
    }
}
