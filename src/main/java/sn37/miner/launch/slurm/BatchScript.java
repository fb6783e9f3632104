package sn37.miner.launch.slurm;

import sn37.miner.launch.JobRequest;

/**
 * The batch script of a training job: srun starts one torchrun agent per Slurm task, and the agents meet through
 * c10d rendezvous on the first node of the allocation, so the job spans as many nodes as Slurm gives it.
 */
final class BatchScript {
    /** Derived rendezvous ports: 20000 + job id mod 10000, below Linux's ephemeral range (32768 and up). */
    static final int DERIVED_PORT_BASE = 20000;
    static final int DERIVED_PORT_SPAN = 10000;

    private BatchScript() {}

    /** @param rendezvousPort a fixed port, or 0 to derive one from the job id */
    static String torchrun(JobRequest request, int rendezvousPort) {
        StringBuilder script = new StringBuilder("#!/bin/bash\n")
                .append("# ").append(request.name().replaceAll("[^A-Za-z0-9._-]", "_"))
                .append(": one torchrun agent per task, c10d rendezvous on the allocation's first node\n")
                .append("set -eu\n")
                .append("head_node=$(scontrol show hostnames \"$SLURM_JOB_NODELIST\" | head -n 1)\n")
                .append("rdzv_port=").append(rendezvousPort > 0 ? Integer.toString(rendezvousPort)
                        : "$((" + DERIVED_PORT_BASE + " + SLURM_JOB_ID % " + DERIVED_PORT_SPAN + "))").append('\n')
                // exec: srun's exit status is the job's, and a cancel's SIGTERM reaches it directly.
                .append("exec srun --kill-on-bad-exit=1 ").append(quote(request.python().toString()))
                .append(" -m torch.distributed.run --nnodes ").append(request.nnodes())
                .append(" --nproc_per_node ").append(request.nprocPerNode())
                .append(" --rdzv_backend c10d --rdzv_endpoint \"$head_node:$rdzv_port\" --rdzv_id \"$SLURM_JOB_ID\"");
        for (String arg : request.trainerArgs()) {
            script.append(' ').append(quote(arg));
        }
        return script.append('\n').toString();
    }

    /** {@code arg} as one bash word, taken literally: single quotes, each inner quote as {@code '"'"'}. */
    static String quote(String arg) {
        return "'" + arg.replace("'", "'\"'\"'") + "'";
    }
}
