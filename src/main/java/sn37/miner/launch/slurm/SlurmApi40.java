package sn37.miner.launch.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * v0.0.40 to v0.0.45 (Slurm 23.11 to 26.05), from SchedMD's published OpenAPI specs: the script inside
 * {@code job}, nodes as a string, environment as {@code NAME=value} strings, numbers that may be unset as
 * {@code {set, infinite, number}}, job_state as a list (base state, then flags) and the exit code as
 * {@code {status, return_code, signal}}.
 */
final class SlurmApi40 implements SlurmApi {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final int minor;

    SlurmApi40(int minor) {
        this.minor = minor;
    }

    @Override
    public int minor() {
        return minor;
    }

    @Override
    public String pingPath() {
        return prefix() + "/ping/";
    }

    @Override
    public String jobsPath() {
        return prefix() + "/jobs/";
    }

    @Override
    public ObjectNode submitBody(SlurmJobSpec spec) {
        ObjectNode job = NODES.objectNode();
        job.put("script", spec.script());
        job.put("name", spec.name());
        if (spec.partition() != null) {
            job.put("partition", spec.partition());
        }
        job.put("nodes", Integer.toString(spec.nodes()));
        job.put("tasks", spec.tasks());
        if (spec.tasksPerNode() != null) {
            job.put("tasks_per_node", spec.tasksPerNode());
        }
        job.put("current_working_directory", spec.workingDirectory().toString());
        ArrayNode environment = job.putArray("environment");
        spec.environment().forEach((name, value) -> environment.add(name + "=" + value));
        job.put("standard_output", spec.output().toString());
        job.put("standard_error", spec.output().toString());
        if (spec.timeLimitMinutes() != null) {
            job.putObject("time_limit").put("set", true).put("infinite", false)
                    .put("number", spec.timeLimitMinutes());
        }
        if (spec.cpusPerTask() > 1) {
            job.put("cpus_per_task", spec.cpusPerTask());
        }
        if (spec.gpusPerNode() > 0) {
            job.put("tres_per_node", "gres/gpu:" + spec.gpusPerNode());
        }
        ObjectNode body = NODES.objectNode();
        body.set("job", job);
        return body;
    }

    @Override
    public SlurmJob job(JsonNode job) {
        List<String> states = new ArrayList<>();
        JsonNode state = job.path("job_state");
        if (state.isArray()) {
            state.forEach(s -> states.add(s.asText()));
        } else if (state.isTextual()) {
            states.add(state.asText());
        }
        Long submit = number(job.path("submit_time"));
        return new SlurmJob(job.path("job_id").asLong(), job.path("name").asText(null),
                job.path("user_name").asText(null), states, exitCode(job.path("exit_code")), SlurmApi.reason(job),
                submit == null ? 0 : submit);
    }

    /** {@code {status: [...], return_code: {set, number}, signal: {id: {set, number}, name}}}; 128 + signal. */
    static Integer exitCode(JsonNode exit) {
        if (exit.canConvertToLong()) {
            return SlurmApi38.fromWaitStatus(exit.asLong());
        }
        List<String> status = new ArrayList<>();
        exit.path("status").forEach(s -> status.add(s.asText()));
        if (exit.path("status").isTextual()) {
            status.add(exit.path("status").asText());
        }
        Long signal = number(exit.path("signal").path("id"));
        if ((status.contains("SIGNALED") || status.contains("CORE_DUMPED")) && signal != null && signal > 0) {
            return 128 + signal.intValue();
        }
        if (status.contains("PENDING")) {
            return null;
        }
        Long code = number(exit.path("return_code"));
        return code == null ? null : code.intValue();
    }

    /** A plain number, or {@code {set, infinite, number}}; null when unset or infinite. */
    static Long number(JsonNode node) {
        if (node.canConvertToLong()) {
            return node.asLong();
        }
        if (node.isObject() && node.path("set").asBoolean(false) && !node.path("infinite").asBoolean(false)
                && node.path("number").canConvertToLong()) {
            return node.path("number").asLong();
        }
        return null;
    }
}
