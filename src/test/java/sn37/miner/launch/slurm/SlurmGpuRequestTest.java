package sn37.miner.launch.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sn37.miner.launch.JobRequest;
import sn37.miner.launch.LaunchException;

/**
 * The GPU request of a Slurm job as it leaves the launcher, against a loopback slurmrestd that speaks one API version
 * and records each submit: v0.0.38 takes sbatch's {@code gpus_per_node}, v0.0.40 and later {@code tres_per_node}
 * ({@code gres/gpu:N}, as sbatch 23.11 and later write it).
 */
class SlurmGpuRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "alice";

    private final MockWebServer server = new MockWebServer();
    private final List<JsonNode> submits = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();

    @AfterEach
    void stop() {
        server.close();
        assertEquals(List.of(), violations);
    }

    /** A slurmrestd serving only v0.0.{@code minor}: its OpenAPI description, ping and submit. */
    private URI slurmrestd(int minor) throws Exception {
        String prefix = "/slurm/v0.0." + minor;
        String slash = minor >= 40 ? "/" : "";
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getUrl().encodedPath();
                if (!USER.equals(request.getHeaders().get("X-SLURM-USER-NAME"))
                        || request.getHeaders().get("X-SLURM-USER-TOKEN") == null) {
                    violations.add("no Slurm user or token on " + request.getRequestLine());
                    return new MockResponse.Builder().code(401).build();
                }
                if ("GET".equals(request.getMethod()) && path.equals("/openapi/v3")) {
                    return json("{\"paths\": {\"" + prefix + "/ping" + slash + "\": {}, \"" + prefix
                            + "/job/submit\": {}}}");
                }
                if ("GET".equals(request.getMethod()) && path.equals(prefix + "/ping" + slash)) {
                    return json("{\"errors\": [], \"pings\": [{\"hostname\": \"head\", \"ping\": \"UP\"}]}");
                }
                if ("POST".equals(request.getMethod()) && path.equals(prefix + "/job/submit")) {
                    try {
                        synchronized (submits) {
                            submits.add(JSON.readTree(request.getBody().utf8()));
                        }
                    } catch (Exception e) {
                        violations.add("a submit body that is not JSON");
                    }
                    return json("{\"errors\": [], \"job_id\": 7}");
                }
                violations.add("no such endpoint: " + request.getRequestLine());
                return new MockResponse.Builder().code(404).build();
            }
        });
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        return URI.create("http://127.0.0.1:" + server.getPort());
    }

    private static MockResponse json(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
    }

    private static SlurmLauncher launcher(URI url, int gpusPerNode) {
        SlurmSettings settings = new SlurmSettings(url, USER, "gpu", 1, null, 29500, gpusPerNode, 1, null, null);
        return new SlurmLauncher(settings, () -> "a-token");
    }

    private static JobRequest twoNodes(int nprocPerNode) {
        return new JobRequest("sn37-r-a1", Path.of("/shared/jobs/r"), Path.of("/shared/venv/bin/python"),
                List.of("/shared/trainer/train.py", "--job", "/shared/jobs/r/job.json"), 2, nprocPerNode, Map.of(),
                Path.of("/shared/jobs/r/train.log"));
    }

    @Test
    void v0038AsksForTheGpusPerNodeAndRunsOneProcessPerGpu() throws Exception {
        SlurmLauncher launcher = launcher(slurmrestd(38), 4);
        int nproc = launcher.nprocPerNode(1);

        launcher.submit(twoNodes(nproc));

        assertEquals(4, nproc, "the default --nproc_per_node becomes one process per GPU");
        JsonNode job = submits.get(0).path("job");
        assertEquals("4", job.path("gpus_per_node").asText());
        assertFalse(job.has("tres_per_node"), job.toString());
        assertEquals(2, job.path("nodes").asInt());
        assertEquals(2, job.path("tasks").asInt());
        assertEquals(1, job.path("tasks_per_node").asInt());
        assertTrue(submits.get(0).path("script").asText().contains(" --nnodes 2 --nproc_per_node 4 "),
                submits.get(0).path("script").asText());
    }

    @Test
    void v0040AndLaterAskForAGpuTresPerNode() throws Exception {
        SlurmLauncher launcher = launcher(slurmrestd(41), 8);

        launcher.submit(twoNodes(launcher.nprocPerNode(8)));

        JsonNode job = submits.get(0).path("job");
        assertEquals("gres/gpu:8", job.path("tres_per_node").asText());
        assertFalse(job.has("gpus_per_node"), job.toString());
        assertTrue(job.path("script").asText().contains(" --nproc_per_node 8 "), job.path("script").asText());
    }

    @Test
    void aCpuJobAsksForNoGpus() throws Exception {
        SlurmLauncher launcher = launcher(slurmrestd(38), 0);

        launcher.submit(twoNodes(launcher.nprocPerNode(3)));

        JsonNode job = submits.get(0).path("job");
        assertFalse(job.has("gpus_per_node") || job.has("tres_per_node") || job.has("gres"), job.toString());
        assertTrue(submits.get(0).path("script").asText().contains(" --nproc_per_node 3 "));
    }

    @Test
    void processesThatAreNotOnePerGpuAreRefusedBeforeAnythingIsSent() throws Exception {
        SlurmLauncher launcher = launcher(slurmrestd(38), 4);

        LaunchException asked = assertThrows(LaunchException.class, () -> launcher.nprocPerNode(3));
        LaunchException submitted = assertThrows(LaunchException.class, () -> launcher.submit(twoNodes(1)));

        assertEquals("--nproc_per_node 3 does not fit the 4 GPUs per node the Slurm job asks for (4 per torchrun"
                + " agent, one process per GPU): leave --nproc_per_node out, or change train.slurm.gpus-per-node",
                asked.getMessage());
        assertEquals("job sn37-r-a1 runs 1 processes per torchrun agent, but asks Slurm for 4 GPUs per node over 1"
                + " agents: one process per GPU", submitted.getMessage());
        assertEquals(List.of(), submits);
    }

    @Test
    void gpusThatDoNotSplitOverTheAgentsOfANodeAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SlurmSettings(
                URI.create("http://head:6820"), USER, null, 2, null, 0, 3, 1, null, null));

        assertEquals("the 3 GPUs per node do not split evenly over 2 torchrun agents (tasks) per node",
                e.getMessage());
    }
}
