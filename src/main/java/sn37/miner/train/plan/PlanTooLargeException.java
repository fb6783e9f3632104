package sn37.miner.train.plan;

import java.util.Optional;

/** A plan that needs more memory than the device has; the message names one that fits, if any does. */
public final class PlanTooLargeException extends IllegalStateException {

    private final transient MemoryPlan plan;
    private final transient MemoryPlan fitting;

    PlanTooLargeException(String message, MemoryPlan plan, Optional<MemoryPlan> fitting) {
        super(message);
        this.plan = plan;
        this.fitting = fitting.orElse(null);
    }

    public MemoryPlan plan() {
        return plan;
    }

    /** The first alternative that fits, as {@link MemoryPlanner#check} found it. */
    public Optional<MemoryPlan> fitting() {
        return Optional.ofNullable(fitting);
    }
}
