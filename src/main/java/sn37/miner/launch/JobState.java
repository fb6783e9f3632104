package sn37.miner.launch;

/**
 * Where a job stands.
 *
 * @param exitCode the trainer's exit status once ended, when the launcher knows it
 * @param reason the launcher's words for a failure or a cancel (a Slurm state reason, a signal), or null
 */
public record JobState(Phase phase, Integer exitCode, String reason) {

    public enum Phase {
        PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED;

        public boolean ended() {
            return this == SUCCEEDED || this == FAILED || this == CANCELLED;
        }
    }
}
