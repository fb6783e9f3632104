package sn37.miner.launch.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import sn37.miner.launch.JobState;
import sn37.miner.launch.JobState.Phase;

/** Slurm's states and exit codes, as v0.0.38 and v0.0.40+ write them, mapped to the seam's phases. */
class SlurmJobStatesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JobState of(String... states) {
        return of(0, states);
    }

    private static JobState of(Integer exit, String... states) {
        return SlurmJobStates.of(new SlurmJob(7, "j", "u", List.of(states), exit, null, 0));
    }

    @Test
    void mapsEachBaseStateToItsPhase() {
        assertEquals(Phase.PENDING, of("PENDING").phase());
        assertEquals(Phase.PENDING, of("CONFIGURING").phase());
        assertEquals(Phase.RUNNING, of("RUNNING").phase());
        assertEquals(Phase.RUNNING, of("SUSPENDED").phase());
        assertEquals(Phase.RUNNING, of("COMPLETING").phase());
        assertEquals(Phase.SUCCEEDED, of("COMPLETED").phase());
        for (String failed : List.of("FAILED", "NODE_FAIL", "TIMEOUT", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE")) {
            assertEquals(Phase.FAILED, of(failed).phase(), failed);
        }
        assertEquals(Phase.CANCELLED, of("CANCELLED").phase());
        assertEquals(Phase.CANCELLED, of("PREEMPTED").phase());
    }

    @Test
    void aFlagThatOutranksTheBaseStateKeepsTheJobAlive() {
        // v0.0.40+: a cancelled job whose processes are still going is [CANCELLED, COMPLETING]
        assertEquals(Phase.RUNNING, of("CANCELLED", "COMPLETING").phase());
        assertEquals(Phase.PENDING, of("RUNNING", "CONFIGURING").phase());
        assertEquals(Phase.PENDING, of("PENDING", "REQUEUED").phase());
    }

    @Test
    void aStateNewerThanThisClientCountsAsRunning() {
        assertEquals(Phase.RUNNING, of("SOMETHING_NEW").phase());
    }

    @Test
    void completedWithANonZeroExitIsAFailure() {
        assertEquals(new JobState(Phase.SUCCEEDED, 0, null), of(0, "COMPLETED"));
        assertEquals(new JobState(Phase.FAILED, 2, "Slurm state COMPLETED"), of(2, "COMPLETED"));
    }

    @Test
    void anEndedJobCarriesItsExitCodeAndReason() {
        JobState timeout = SlurmJobStates.of(new SlurmJob(7, "j", "u", List.of("TIMEOUT"), 143, "TimeLimit", 0));
        assertEquals(new JobState(Phase.FAILED, 143, "Slurm state TIMEOUT (TimeLimit)"), timeout);
        JobState pending = SlurmJobStates.of(new SlurmJob(7, "j", "u", List.of("PENDING"), 0, "Resources", 0));
        assertEquals(new JobState(Phase.PENDING, null, "Resources"), pending);
    }

    @Test
    void decodesV0038WaitStatuses() {
        assertEquals(0, SlurmApi38.fromWaitStatus(0));
        assertEquals(3, SlurmApi38.fromWaitStatus(3 << 8));
        assertEquals(143, SlurmApi38.fromWaitStatus(36608)); // exit 143, as a TERM trap's exit gives
        assertEquals(137, SlurmApi38.fromWaitStatus(9)); // killed by SIGKILL
        assertEquals(null, SlurmApi38.fromWaitStatus(4294967294L)); // NO_VAL: still pending
    }

    @Test
    void readsAV0038Job() throws Exception {
        JsonNode job = JSON.readTree("{\"job_id\":12,\"name\":\"sn37-r-a1\",\"user_name\":\"nobody\","
                + "\"job_state\":\"FAILED\",\"exit_code\":768,\"state_reason\":\"NonZeroExitCode\","
                + "\"state_description\":\"\",\"submit_time\":1796575132}");

        assertEquals(new SlurmJob(12, "sn37-r-a1", "nobody", List.of("FAILED"), 3, "NonZeroExitCode", 1796575132),
                new SlurmApi38().job(job));
    }

    @Test
    void readsAV0040Job() throws Exception {
        // shapes from SchedMD's v0.0.41-45 OpenAPI specs: job_state a list, numbers {set, infinite, number}
        JsonNode job = JSON.readTree("{\"job_id\":12,\"name\":\"sn37-r-a1\",\"user_name\":\"nobody\","
                + "\"job_state\":[\"CANCELLED\"],\"exit_code\":{\"status\":[\"SIGNALED\"],"
                + "\"return_code\":{\"set\":true,\"infinite\":false,\"number\":0},"
                + "\"signal\":{\"id\":{\"set\":true,\"infinite\":false,\"number\":15},\"name\":\"SIGTERM\"}},"
                + "\"state_reason\":\"None\",\"submit_time\":{\"set\":true,\"infinite\":false,\"number\":1796575132}}");

        assertEquals(new SlurmJob(12, "sn37-r-a1", "nobody", List.of("CANCELLED"), 143, null, 1796575132),
                new SlurmApi40(41).job(job));
    }

    @Test
    void readsV0040ExitCodes() throws Exception {
        assertEquals(0, SlurmApi40.exitCode(JSON.readTree("{\"status\":[\"SUCCESS\"],"
                + "\"return_code\":{\"set\":true,\"infinite\":false,\"number\":0}}")));
        assertEquals(2, SlurmApi40.exitCode(JSON.readTree("{\"status\":[\"ERROR\"],"
                + "\"return_code\":{\"set\":true,\"infinite\":false,\"number\":2}}")));
        assertEquals(null, SlurmApi40.exitCode(JSON.readTree("{\"status\":[\"PENDING\"],"
                + "\"return_code\":{\"set\":false,\"infinite\":false,\"number\":0}}")));
    }
}
