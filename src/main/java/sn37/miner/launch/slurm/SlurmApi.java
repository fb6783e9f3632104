package sn37.miner.launch.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One slurmrestd OpenAPI version: its paths and JSON shapes. Slurm 22.05 serves v0.0.36-38; 23.02 adds v0.0.39,
 * 23.11 v0.0.40; from 24.05 each release adds one and drops the oldest (24.11: v0.0.40-42, 25.05: v0.0.40-43).
 * v0.0.39 changed the JSON (numbers as {set, infinite, number}, environment as a list) and v0.0.40 made job_state
 * a list of flags; v0.0.40 to v0.0.45 share the fields used here. Skipping v0.0.39 loses no release: each one that
 * serves it also serves v0.0.38 or v0.0.40.
 */
interface SlurmApi {

    /** Versions this client speaks, best first. */
    List<Integer> SPOKEN = List.of(45, 44, 43, 42, 41, 40, 38);

    static SlurmApi of(int minor) {
        if (minor == 38) {
            return new SlurmApi38();
        }
        if (minor >= 40 && minor <= 45) {
            return new SlurmApi40(minor);
        }
        throw new IllegalArgumentException("no Slurm REST API v0.0." + minor + " here");
    }

    int minor();

    default String name() {
        return "v0.0." + minor();
    }

    default String prefix() {
        return "/slurm/" + name();
    }

    String pingPath();

    String jobsPath();

    default String jobPath(long id) {
        return prefix() + "/job/" + id;
    }

    default String submitPath() {
        return prefix() + "/job/submit";
    }

    ObjectNode submitBody(SlurmJobSpec spec);

    SlurmJob job(JsonNode job);

    /** The submit answer's job id, or -1 when it has none. */
    default long submittedId(JsonNode answer) {
        JsonNode id = answer.path("job_id");
        return id.canConvertToLong() ? id.asLong() : -1;
    }

    /** {@code state_reason}, with {@code state_description} when Slurm gives one; null for none. */
    static String reason(JsonNode job) {
        String reason = job.path("state_reason").asText("");
        String description = job.path("state_description").asText("");
        if (reason.isEmpty() || "None".equals(reason)) {
            return description.isEmpty() ? null : description;
        }
        return description.isEmpty() ? reason : reason + ": " + description;
    }
}
