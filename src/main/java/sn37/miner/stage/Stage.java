package sn37.miner.stage;

import java.util.List;

/**
 * One step of the pipeline, in plain Java. The runner ({@code pipeline.StageStep}) owns the restart rules:
 * it skips a stage that already SUCCEEDED, claims it, calls {@link #run}, and records the outputs or the error.
 * A stage never writes run state itself.
 */
public interface Stage {
    /** The name used in routes, the run store and the API, e.g. {@code fetch-data}. */
    String name();

    /**
     * Does the work and returns its outputs: a small record that serialises to JSON (the run store keeps it,
     * later stages read it with {@link StageContext#output}). Large results are files under the work dir,
     * registered with {@link StageContext#artifact}.
     */
    Object run(StageContext ctx) throws Exception;

    /** Stages whose outputs this one reads; explicit parameters can make one unnecessary. */
    default List<String> requires(RunParams params) {
        return List.of();
    }

    /** The parameters that stand in for {@link #requires} when the stage runs alone, e.g. {@code metric}. */
    default String explicitInputs() {
        return "";
    }

    /** Run again on resume even when it already SUCCEEDED. */
    default boolean allowRerunIfSucceeded() {
        return false;
    }

    /** How many times it may start within one run, counting every attempt. */
    default int startLimit() {
        return Integer.MAX_VALUE;
    }
}
