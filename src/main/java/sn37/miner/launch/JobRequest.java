package sn37.miner.launch;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One training job as every launcher needs it.
 *
 * @param name unique per run and attempt ({@code sn37-<runId>-a<attempt>}): the key {@link TrainingLauncher#find}
 *     looks up
 * @param jobDir the job directory (job.json, examples, progress, checkpoints, result), on storage the job's
 *     nodes see at this same path
 * @param python the Python executable with the trainer's pinned requirements, as the job's nodes see it
 * @param trainerArgs what follows {@code python -m torch.distributed.run <topology>}: the trainer script and
 *     its arguments
 * @param nnodes torchrun nodes (one task each)
 * @param nprocPerNode processes per node (GPUs per node, or CPU processes with gloo)
 * @param environment extra environment for the trainer; never secrets
 * @param logFile where the job's stdout and stderr go
 */
public record JobRequest(String name, Path jobDir, Path python, List<String> trainerArgs, int nnodes,
        int nprocPerNode, Map<String, String> environment, Path logFile) {

    public JobRequest {
        trainerArgs = List.copyOf(trainerArgs);
        environment = Map.copyOf(environment);
        if (nnodes < 1 || nprocPerNode < 1) {
            throw new IllegalArgumentException("a job needs at least one node and one process per node");
        }
    }

    public int worldSize() {
        return nnodes * nprocPerNode;
    }
}
