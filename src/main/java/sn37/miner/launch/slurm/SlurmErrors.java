package sn37.miner.launch.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import sn37.miner.launch.slurm.SlurmException.Kind;

/** Turns slurmrestd's answers into {@link SlurmException}s whose messages say what to do. */
final class SlurmErrors {
    /** slurm_errno.h: ESLURM_INVALID_JOB_ID, ESLURM_ALREADY_DONE. */
    static final int INVALID_JOB_ID = 2017;
    static final int ALREADY_DONE = 2021;
    /** slurm_errno.h: invalid partition name, no default partition, group not allowed, part config unavailable,
     * partition not available, association not allowed on the partition. */
    private static final Set<Integer> PARTITION = Set.of(2000, 2001, 2003, 2015, 2070, 2130);
    /**
     * slurm_errno.h: requested node configuration unavailable, invalid GRES, invalid GRES type, unsupported GRES;
     * and slurmrestd's parse failure (9001), all that 22.05's slurmrestd answers when the GPU request fails its own
     * check against the cluster's GresTypes ({@code slurm_opt_create_job_desc}, error only in its log).
     */
    private static final Set<Integer> GPU_REQUEST = Set.of(2014, 2072, 2119, 2122, 9001);

    /** One entry of an answer's {@code errors}; v0.0.38's submit calls the number {@code error_code}. */
    record SlurmError(int number, String error, String description, String source) {
        String text() {
            String main = error.isEmpty() ? description : error;
            return description.isEmpty() || description.equals(main) ? main : main + " (" + description + ")";
        }

        boolean isAuth() {
            return number == 1007 || (number >= 6000 && number < 6100);
        }

        /** What 22.05's slurmrestd answers when slurmctld refuses the token it passed through. */
        boolean isUnspecified() {
            return number == -1;
        }
    }

    private SlurmErrors() {}

    static List<SlurmError> of(JsonNode answer) {
        List<SlurmError> errors = new ArrayList<>();
        if (answer == null) {
            return errors;
        }
        for (JsonNode e : answer.path("errors")) {
            int number = e.has("error_number") ? e.path("error_number").asInt() : e.path("error_code").asInt();
            errors.add(new SlurmError(number, e.path("error").asText(""), e.path("description").asText(""),
                    e.path("source").asText("")));
        }
        return errors;
    }

    static String text(List<SlurmError> errors) {
        return errors.stream().map(SlurmError::text).distinct().collect(Collectors.joining("; "));
    }

    static SlurmException auth(String user, String detail) {
        return new SlurmException(Kind.AUTH, "slurmrestd refused the token for user " + user + ": it is missing,"
                + " wrong or expired" + (detail == null ? "" : " (" + detail + ")") + "; make a new one with scontrol"
                + " token username=" + user + " lifespan=<seconds> and set SLURM_JWT to it");
    }

    static SlurmException partition(String partition, String job, List<SlurmError> errors) {
        String which = partition == null ? "the default partition" : "partition '" + partition + "'";
        return new SlurmException(Kind.PARTITION, "Slurm refused " + which + " for job " + job + ": "
                + text(errors) + "; choose a partition this user may submit to (sinfo lists them)");
    }

    /** A failed call: {@code what} names the call, as in "GET /slurm/v0.0.38/jobs". */
    static SlurmException failed(int status, String what, String user, List<SlurmError> errors) {
        if (errors.stream().anyMatch(SlurmError::isAuth)) {
            return auth(user, text(errors));
        }
        String said = errors.isEmpty() ? "no error text" : text(errors);
        String hint = errors.stream().anyMatch(SlurmError::isUnspecified) ? "; slurmctld answers this way when it"
                + " refuses the token: if every call fails so, make a new one with scontrol token" : "";
        if (status >= 500) {
            return new SlurmException(Kind.SERVER, "slurmrestd answered HTTP " + status + " to " + what + ": " + said
                    + hint + (hint.isEmpty() ? "; check slurmrestd's and slurmctld's logs" : ""));
        }
        return new SlurmException(Kind.REFUSED, "Slurm refused " + what + " (HTTP " + status + "): " + said + hint);
    }

    static SlurmException gpus(int gpusPerNode, String partition, String job, List<SlurmError> errors) {
        String which = partition == null ? "the default partition" : "partition '" + partition + "'";
        return new SlurmException(Kind.GPUS, "Slurm refused job " + job + ", which asks for " + gpusPerNode
                + " GPUs per node in " + which + ": " + text(errors) + "; the cluster has no such GPUs there"
                + " (sinfo -o '%P %G' lists each partition's GPUs): set train.slurm.gpus-per-node to what a node has,"
                + " or to 0 for a CPU job");
    }

    static boolean isGpuRequest(List<SlurmError> errors) {
        return errors.stream().anyMatch(e -> GPU_REQUEST.contains(e.number()));
    }

    static boolean isPartition(List<SlurmError> errors) {
        return errors.stream().anyMatch(e -> PARTITION.contains(e.number())
                || e.text().toLowerCase(java.util.Locale.ROOT).contains("partition"));
    }
}
