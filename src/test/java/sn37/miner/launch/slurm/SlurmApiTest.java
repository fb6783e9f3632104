package sn37.miner.launch.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The submit bodies each API version takes, and the versions a server's OpenAPI description lists. */
class SlurmApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SlurmJobSpec SPEC = new SlurmJobSpec("sn37-r-a1", "#!/bin/bash\ntrue\n", "gpu", 2, 2, 1,
            Path.of("/shared/job"), new TreeMap<>(Map.of("PATH", "/usr/bin:/bin", "A", "b=c")),
            Path.of("/shared/job/log"), 90, 4, 1);

    @Test
    void v0038TakesFlatNumbersAndAnEnvironmentObject() throws Exception {
        assertEquals(JSON.readTree("{\"script\":\"#!/bin/bash\\ntrue\\n\",\"job\":{\"name\":\"sn37-r-a1\","
                + "\"partition\":\"gpu\",\"nodes\":2,\"tasks\":2,\"tasks_per_node\":1,"
                + "\"current_working_directory\":\"/shared/job\",\"environment\":{\"A\":\"b=c\","
                + "\"PATH\":\"/usr/bin:/bin\"},\"standard_output\":\"/shared/job/log\","
                + "\"standard_error\":\"/shared/job/log\",\"time_limit\":90,\"gpus_per_node\":\"4\"}}"),
                SlurmApi.of(38).submitBody(SPEC));
    }

    @Test
    void v0040AndLaterTakeTheScriptInTheJobAndNumbersWithFlags() throws Exception {
        assertEquals(JSON.readTree("{\"job\":{\"script\":\"#!/bin/bash\\ntrue\\n\",\"name\":\"sn37-r-a1\","
                + "\"partition\":\"gpu\",\"nodes\":\"2\",\"tasks\":2,\"tasks_per_node\":1,"
                + "\"current_working_directory\":\"/shared/job\",\"environment\":[\"A=b=c\",\"PATH=/usr/bin:/bin\"],"
                + "\"standard_output\":\"/shared/job/log\",\"standard_error\":\"/shared/job/log\","
                + "\"time_limit\":{\"set\":true,\"infinite\":false,\"number\":90},"
                + "\"tres_per_node\":\"gres/gpu:4\"}}"), SlurmApi.of(43).submitBody(SPEC));
        assertEquals("/slurm/v0.0.43/jobs/", SlurmApi.of(43).jobsPath());
        assertEquals("/slurm/v0.0.43/job/12", SlurmApi.of(43).jobPath(12));
    }

    @Test
    void aTaskWithSeveralCpusAsksForThemInEveryVersion() {
        SlurmJobSpec fourCpus = new SlurmJobSpec(SPEC.name(), SPEC.script(), SPEC.partition(), 2, 2, 1,
                SPEC.workingDirectory(), SPEC.environment(), SPEC.output(), null, 0, 4);
        assertEquals(4, SlurmApi.of(38).submitBody(fourCpus).path("job").path("cpus_per_task").asInt());
        assertEquals(4, SlurmApi.of(43).submitBody(fourCpus).path("job").path("cpus_per_task").asInt());
        assertTrue(SlurmApi.of(43).submitBody(SPEC).path("job").path("cpus_per_task").isMissingNode(),
                "one CPU is Slurm's default and goes unsaid");
    }

    @Test
    void speaksNoVersionItCannotVerify() {
        assertThrows(IllegalArgumentException.class, () -> SlurmApi.of(39));
        assertThrows(IllegalArgumentException.class, () -> SlurmApi.of(46));
    }

    @Test
    void listsTheVersionsAServerDescribes() throws Exception {
        assertEquals(Set.of(40, 41, 42), SlurmRestClient.servedVersions(JSON.readTree("{\"paths\":{"
                + "\"/slurm/v0.0.42/ping/\":{},\"/slurm/v0.0.41/jobs/\":{},\"/slurm/v0.0.40/job/submit\":{},"
                + "\"/slurmdb/v0.0.42/jobs/\":{},\"/openapi/v3\":{}}}")));
    }

    @Test
    void readsTheTokensExpiryAndUserWithoutCheckingItsSignature() {
        // {"exp":1796575716,"iat":1796575116,"sun":"nobody"}, as scontrol token writes it
        String token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE3OTY1NzU3MTYsImlhdCI6MTc5NjU3NTExNiwic3VuIjoi"
                + "bm9ib2R5In0.Ppdym5CrO0envlCoRjkOxz3XviMf6O5k8sqCZNmdbrA";
        assertEquals(1796575716L, SlurmToken.expiry(token).orElseThrow().getEpochSecond());
        assertEquals("nobody", SlurmToken.userName(token).orElseThrow());
        assertEquals(java.util.Optional.empty(), SlurmToken.expiry("not-a-jwt"));
    }
}
