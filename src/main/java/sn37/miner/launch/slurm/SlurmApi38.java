package sn37.miner.launch.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** v0.0.38 (Slurm 22.05, 23.02, 23.11): flat numbers, environment as an object, exit code as a wait status. */
final class SlurmApi38 implements SlurmApi {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Override
    public int minor() {
        return 38;
    }

    @Override
    public String pingPath() {
        return prefix() + "/ping";
    }

    @Override
    public String jobsPath() {
        return prefix() + "/jobs";
    }

    @Override
    public ObjectNode submitBody(SlurmJobSpec spec) {
        ObjectNode job = NODES.objectNode();
        job.put("name", spec.name());
        if (spec.partition() != null) {
            job.put("partition", spec.partition());
        }
        job.put("nodes", spec.nodes());
        job.put("tasks", spec.tasks());
        if (spec.tasksPerNode() != null) {
            job.put("tasks_per_node", spec.tasksPerNode());
        }
        job.put("current_working_directory", spec.workingDirectory().toString());
        ObjectNode environment = job.putObject("environment");
        spec.environment().forEach(environment::put);
        job.put("standard_output", spec.output().toString());
        job.put("standard_error", spec.output().toString());
        if (spec.timeLimitMinutes() != null) {
            job.put("time_limit", spec.timeLimitMinutes());
        }
        if (spec.cpusPerTask() > 1) {
            job.put("cpus_per_task", spec.cpusPerTask());
        }
        if (spec.gpusPerNode() > 0) {
            job.put("gpus_per_node", Integer.toString(spec.gpusPerNode()));
        }
        ObjectNode body = NODES.objectNode();
        body.put("script", spec.script());
        body.set("job", job);
        return body;
    }

    @Override
    public SlurmJob job(JsonNode job) {
        String state = job.path("job_state").asText("");
        Integer exit = job.path("exit_code").canConvertToLong() ? fromWaitStatus(job.path("exit_code").asLong()) : null;
        return new SlurmJob(job.path("job_id").asLong(), job.path("name").asText(null),
                job.path("user_name").asText(null), List.of(state), exit, SlurmApi.reason(job),
                job.path("submit_time").asLong());
    }

    /** v0.0.38 reports the raw wait status: exit status in bits 8-15, a terminating signal in bits 0-6. */
    static Integer fromWaitStatus(long status) {
        if (status < 0 || status > 0xffff) {
            return null;
        }
        int signal = (int) (status & 0x7f);
        return signal == 0 ? (int) ((status >> 8) & 0xff) : 128 + signal;
    }
}
