package sn37.miner.launch.slurm;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import sn37.miner.launch.LaunchException;

/**
 * Where and how jobs go to a Slurm cluster. Holds no secret: the token comes separately, from the environment.
 *
 * @param url slurmrestd's base URL, e.g. {@code http://head:6820}
 * @param user the Slurm user the token belongs to; null takes it from the token ({@code scontrol token} puts it in
 *     the {@code sun} claim)
 * @param partition the partition jobs go to; null for the cluster's default
 * @param tasksPerNode torchrun agents per node: 1 (one agent runs all of a node's GPUs) on a real cluster; more
 *     lets a one-node test cluster stand in for several nodes
 * @param timeLimit the job's wall-clock limit, rounded up to whole minutes; null for the partition's default
 * @param rendezvousPort the c10d rendezvous port on the first node; 0 derives it from the job id
 * @param gpusPerNode GPUs to allocate on each node; 0 asks for none
 * @param cpusPerTask CPUs to allocate to each task (torchrun agent); 1 is Slurm's default, and the job then asks for
 *     none explicitly. The agent's processes share them: {@link #ompThreads}
 * @param environment the job's whole environment besides what the request adds: Slurm's REST API passes nothing
 *     from the submitting side, so this needs at least a {@code PATH} that finds {@code srun} and
 *     {@code scontrol}
 * @param requestTimeout how long one call to slurmrestd may take
 */
public record SlurmSettings(URI url, String user, String partition, int tasksPerNode, Duration timeLimit,
        int rendezvousPort, int gpusPerNode, int cpusPerTask, Map<String, String> environment,
        Duration requestTimeout) {

    /** What {@link #environment} holds unless a setting replaces it: where Debian and most sites put srun. */
    public static final Map<String, String> DEFAULT_ENVIRONMENT = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin");
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    public SlurmSettings {
        if (url == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
                || url.getHost() == null) {
            throw new IllegalArgumentException("the slurmrestd URL must be http(s)://host[:port], got " + url);
        }
        if (tasksPerNode < 1) {
            throw new IllegalArgumentException("Slurm tasks per node must be at least 1, got " + tasksPerNode);
        }
        if (timeLimit != null && (timeLimit.isNegative() || timeLimit.isZero())) {
            throw new IllegalArgumentException("the Slurm time limit must be positive, got " + timeLimit);
        }
        if (rendezvousPort != 0 && (rendezvousPort < 1024 || rendezvousPort > 65535)) {
            throw new IllegalArgumentException(
                    "the rendezvous port must be 0 (from the job id) or 1024-65535, got " + rendezvousPort);
        }
        if (gpusPerNode < 0) {
            throw new IllegalArgumentException("GPUs per node must be 0 or more, got " + gpusPerNode);
        }
        if (gpusPerNode % tasksPerNode != 0) {
            throw new IllegalArgumentException("the " + gpusPerNode + " GPUs per node do not split evenly over "
                    + tasksPerNode + " torchrun agents (tasks) per node");
        }
        if (cpusPerTask < 1) {
            throw new IllegalArgumentException("Slurm CPUs per task must be at least 1, got " + cpusPerTask);
        }
        environment = Map.copyOf(environment == null ? DEFAULT_ENVIRONMENT : environment);
        requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "the slurmrestd request timeout must be positive, got " + requestTimeout);
        }
    }

    /** One agent per node on the default partition, no time limit, default environment. */
    public static SlurmSettings of(URI url) {
        return new SlurmSettings(url, null, null, 1, null, 0, 0, 1, null, null);
    }

    public SlurmSettings withUser(String newUser) {
        return new SlurmSettings(url, newUser, partition, tasksPerNode, timeLimit, rendezvousPort, gpusPerNode,
                cpusPerTask, environment, requestTimeout);
    }

    public SlurmSettings withPartition(String newPartition) {
        return new SlurmSettings(url, user, newPartition, tasksPerNode, timeLimit, rendezvousPort, gpusPerNode,
                cpusPerTask, environment, requestTimeout);
    }

    public SlurmSettings withTasksPerNode(int tasks) {
        return new SlurmSettings(url, user, partition, tasks, timeLimit, rendezvousPort, gpusPerNode, cpusPerTask,
                environment, requestTimeout);
    }

    public SlurmSettings withTimeLimit(Duration limit) {
        return new SlurmSettings(url, user, partition, tasksPerNode, limit, rendezvousPort, gpusPerNode, cpusPerTask,
                environment, requestTimeout);
    }

    public SlurmSettings withRequestTimeout(Duration timeout) {
        return new SlurmSettings(url, user, partition, tasksPerNode, timeLimit, rendezvousPort, gpusPerNode,
                cpusPerTask, environment, timeout);
    }

    /**
     * Trainer processes per torchrun agent: with GPUs asked for, one per GPU ({@link #gpusPerNode} over the
     * {@link #tasksPerNode} agents of a node); else {@code requested}.
     *
     * @param requested the run's {@code --nproc_per_node}; with GPUs, its default 1 or the per-GPU count
     */
    public int nprocPerNode(int requested) throws LaunchException {
        if (gpusPerNode == 0) {
            return requested;
        }
        int perAgent = gpusPerNode / tasksPerNode;
        if (requested != 1 && requested != perAgent) {
            throw new LaunchException("--nproc_per_node " + requested + " does not fit the " + gpusPerNode
                    + " GPUs per node the Slurm job asks for (" + perAgent + " per torchrun agent, one process per"
                    + " GPU): leave --nproc_per_node out, or change train.slurm.gpus-per-node");
        }
        return perAgent;
    }

    /**
     * OpenMP threads for each trainer process: the task's CPUs shared by the {@code nprocPerNode} processes of its
     * torchrun agent, at least 1. torchrun sets OMP_NUM_THREADS=1 itself only for several processes; one process
     * alone would start a thread per CPU of the node, and agents sharing a node would fight over them.
     */
    public int ompThreads(int nprocPerNode) {
        return Math.max(1, cpusPerTask / Math.max(1, nprocPerNode));
    }

    /** The time limit in whole minutes (Slurm's unit), or null. */
    Integer timeLimitMinutes() {
        return timeLimit == null ? null : (int) Math.max(1, (timeLimit.toSeconds() + 59) / 60);
    }
}
