package sn37.miner.launch.slurm;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A batch job as slurmrestd's submit call takes it (sbatch's options by their REST names).
 *
 * @param script the batch script, starting with {@code #!}
 * @param partition null for the cluster's default
 * @param tasksPerNode null to let Slurm place the tasks
 * @param environment the job's whole environment (Slurm adds its {@code SLURM_*} variables)
 * @param output stdout and stderr both
 * @param timeLimitMinutes null for the partition's default
 * @param gpusPerNode 0 for none
 * @param cpusPerTask 1 for Slurm's default (one CPU), which the body then leaves out
 */
public record SlurmJobSpec(String name, String script, String partition, int nodes, int tasks, Integer tasksPerNode,
        Path workingDirectory, Map<String, String> environment, Path output, Integer timeLimitMinutes,
        int gpusPerNode, int cpusPerTask) {

    public SlurmJobSpec {
        environment = Collections.unmodifiableMap(new TreeMap<>(environment)); // sorted: the same body each time
        if (name == null || name.isBlank() || script == null || !script.startsWith("#!")) {
            throw new IllegalArgumentException("a Slurm job needs a name and a script that starts with #!");
        }
        if (nodes < 1 || tasks < nodes) {
            throw new IllegalArgumentException("a Slurm job needs at least one node and one task per node, got "
                    + nodes + " nodes and " + tasks + " tasks");
        }
    }
}
