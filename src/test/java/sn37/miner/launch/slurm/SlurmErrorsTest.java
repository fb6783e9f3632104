package sn37.miner.launch.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import sn37.miner.launch.slurm.SlurmErrors.SlurmError;

/** slurmrestd's error answers, as 22.05 writes them, turned into messages that say what to do. */
class SlurmErrorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsBothSpellingsOfTheErrorNumber() throws Exception {
        List<SlurmError> errors = SlurmErrors.of(JSON.readTree("{\"errors\":[{\"error_code\":2003,\"error\":"
                + "\"User's group not permitted to use this partition\"},{\"description\":\"Unable to find JobId=9\","
                + "\"error_number\":2017,\"error\":\"Invalid job id specified\",\"source\":\"slurm_load_job\"}]}"));

        assertEquals(List.of(2003, 2017), errors.stream().map(SlurmError::number).toList());
        assertEquals("User's group not permitted to use this partition; Invalid job id specified (Unable to find"
                + " JobId=9)", SlurmErrors.text(errors));
        assertTrue(SlurmErrors.isPartition(errors));
    }

    @Test
    void aServerFailureNamesTheCallAndWhereToLook() {
        SlurmException e = SlurmErrors.failed(503, "GET /slurm/v0.0.38/jobs", "nobody", List.of());

        assertEquals(SlurmException.Kind.SERVER, e.kind());
        assertEquals("slurmrestd answered HTTP 503 to GET /slurm/v0.0.38/jobs: no error text; check slurmrestd's"
                + " and slurmctld's logs", e.getMessage());
    }

    @Test
    void slurmctldsUnspecifiedRefusalPointsAtTheToken() {
        SlurmException e = SlurmErrors.failed(500, "GET /slurm/v0.0.38/jobs", "nobody",
                List.of(new SlurmError(-1, "Unspecified error", "Failed while looking for jobs", "slurm_load_jobs")));

        assertEquals("slurmrestd answered HTTP 500 to GET /slurm/v0.0.38/jobs: Unspecified error (Failed while"
                + " looking for jobs); slurmctld answers this way when it refuses the token: if every call fails so,"
                + " make a new one with scontrol token", e.getMessage());
    }

    @Test
    void anAuthenticationErrorIsAboutTheToken() {
        SlurmException e = SlurmErrors.failed(500, "the submit of job j", "alice",
                List.of(new SlurmError(1007, "Protocol authentication error", "", "")));

        assertEquals(SlurmException.Kind.AUTH, e.kind());
        assertTrue(e.getMessage().startsWith("slurmrestd refused the token for user alice: it is missing, wrong or"
                + " expired (Protocol authentication error); make a new one with scontrol token username=alice"),
                e.getMessage());
    }

    @Test
    void aRefusalBelow500IsSlurmsNo() {
        SlurmException e = SlurmErrors.failed(400, "the submit of job j", "alice",
                List.of(new SlurmError(2010, "Invalid user id", "", "")));

        assertEquals(SlurmException.Kind.REFUSED, e.kind());
        assertEquals("Slurm refused the submit of job j (HTTP 400): Invalid user id", e.getMessage());
        assertFalse(SlurmErrors.isPartition(List.of(new SlurmError(2010, "Invalid user id", "", ""))));
    }
}
