package sn37.miner.launch.slurm;

import java.util.List;
import java.util.Set;
import sn37.miner.launch.JobState;
import sn37.miner.launch.JobState.Phase;

/** Slurm's job states (squeue's long names, {@code src/common/slurm_protocol_defs.c}) as the seam's phases. */
final class SlurmJobStates {
    /** Flags that outrank the base state: the job is not in it yet, or still leaving it. */
    private static final Set<String> STILL_RUNNING = Set.of("COMPLETING", "SIGNALING", "STAGE_OUT", "RESIZING");
    private static final Set<String> STILL_PENDING = Set.of("CONFIGURING", "REQUEUED", "REQUEUE_HOLD",
            "REQUEUE_FED", "RESV_DEL_HOLD", "POWER_UP_NODE");
    private static final Set<String> FAILED = Set.of("FAILED", "NODE_FAIL", "TIMEOUT", "OUT_OF_MEMORY", "BOOT_FAIL",
            "DEADLINE", "LAUNCH_FAILED", "SPECIAL_EXIT", "RECONFIG_FAIL");
    private static final Set<String> CANCELLED = Set.of("CANCELLED", "PREEMPTED", "REVOKED");

    private SlurmJobStates() {}

    static JobState of(SlurmJob job) {
        List<String> states = job.states();
        Phase phase = phase(states);
        String base = states.isEmpty() ? "" : states.get(0);
        if (!phase.ended()) {
            return new JobState(phase, null, job.reason());
        }
        Integer exit = job.exitCode();
        if (phase == Phase.SUCCEEDED && exit != null && exit != 0) {
            phase = Phase.FAILED;
        }
        String reason = phase == Phase.SUCCEEDED ? null
                : job.reason() == null ? "Slurm state " + base : "Slurm state " + base + " (" + job.reason() + ")";
        return new JobState(phase, exit, reason);
    }

    static Phase phase(List<String> states) {
        for (String flag : states) {
            if (STILL_RUNNING.contains(flag)) {
                return Phase.RUNNING;
            }
            if (STILL_PENDING.contains(flag)) {
                return Phase.PENDING;
            }
        }
        String base = states.isEmpty() ? "" : states.get(0);
        if ("PENDING".equals(base)) {
            return Phase.PENDING;
        }
        if ("COMPLETED".equals(base)) {
            return Phase.SUCCEEDED;
        }
        if (FAILED.contains(base)) {
            return Phase.FAILED;
        }
        if (CANCELLED.contains(base)) {
            return Phase.CANCELLED;
        }
        // RUNNING, SUSPENDED, STOPPED, and any state newer than this client: alive, so keep watching.
        return Phase.RUNNING;
    }
}
