package sn37.miner.competition;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** A competition live in one schedule entry (taoverse model/competition/data.py). */
public record Competition(
        CompetitionId id,
        ModelConstraints constraints,
        double rewardPercentage,
        List<EvalTask> tasks) {

    public Competition {
        tasks = List.copyOf(tasks);
        double sum = tasks.stream().mapToDouble(EvalTask::weight).sum();
        // finetuning asserts math.isclose(sum of task weights, 1.0) for every scheduled
        // competition.
        if (Math.abs(sum - 1.0) > 1e-9) {
            throw new IllegalArgumentException(id + ": task weights sum to " + sum + ", not 1");
        }
    }

    /** The numeric id (the miner's --competition_id), also written to JSON; ignored when read. */
    @JsonProperty(value = "number", access = JsonProperty.Access.READ_ONLY)
    public int number() {
        return id.id();
    }
}
