package sn37.miner.launch.slurm;

import sn37.miner.launch.LaunchException;

/** slurmrestd or Slurm said no, or could not be asked. The message never holds the token. */
public class SlurmException extends LaunchException {

    public enum Kind {
        /** No connection to slurmrestd: wrong address, refused, unknown host. */
        UNREACHABLE,
        /** slurmrestd took longer than the request timeout. */
        TIMEOUT,
        /** The token is missing, wrong or expired, or names another user. */
        AUTH,
        /** Slurm refused the job's partition. */
        PARTITION,
        /** Slurm refused the job's GPU request: the cluster or partition has no such GPUs. */
        GPUS,
        /** Slurm refused the request for another reason it gave. */
        REFUSED,
        /** slurmctld no longer knows the job: it ended longer ago than the cluster's MinJobAge. */
        JOB_GONE,
        /** slurmrestd serves none of the API versions this client speaks, or is not slurmrestd. */
        UNSUPPORTED,
        /** slurmrestd or slurmctld failed (5xx, unreadable answer). */
        SERVER
    }

    private final Kind kind;

    public SlurmException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public SlurmException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public boolean jobGone() {
        return kind == Kind.JOB_GONE;
    }
}
