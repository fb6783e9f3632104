package sn37.miner.launch.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn37.miner.launch.JobState;
import sn37.miner.launch.JobState.Phase;
import sn37.miner.testing.Slow;

/** The REST client against a real Slurm 22.05 cluster on loopback ({@link SlurmCluster}). */
@Slow
class SlurmRestClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static SlurmCluster cluster;
    private static String token;

    @BeforeAll
    static void cluster() {
        cluster = SlurmCluster.shared();
        token = cluster.token(SlurmCluster.JOB_USER, 3600);
    }

    private static SlurmRestClient client() {
        return new SlurmRestClient(cluster.restUrl(), SlurmCluster.JOB_USER, () -> token, TIMEOUT);
    }

    private static SlurmJobSpec spec(String name, String script, Path jobDir, String partition) {
        return new SlurmJobSpec(name, script, partition, 1, 2, 2, jobDir, SlurmSettings.DEFAULT_ENVIRONMENT,
                jobDir.resolve("log.txt"), 5, 0, 1);
    }

    static JobState awaitEnd(SlurmRestClient client, long id, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            JobState state = SlurmJobStates.of(client.job(id).orElseThrow());
            if (state.phase().ended()) {
                return state;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + id + " still " + state + " after " + limit);
            }
            Thread.sleep(200);
        }
    }

    @Test
    void picksV0038OnSlurm2205() throws Exception {
        assertEquals("v0.0.38", client().version());
    }

    @Test
    void runsATwoTaskJobToSuccess() throws Exception {
        Path job = cluster.newJobDir("two-tasks");
        SlurmRestClient client = client();
        String script = "#!/bin/bash\nsrun -n 2 bash -c 'echo $SLURM_PROCID >> out'\n";
        long id = client.submit(spec("sn37-test-two-tasks", script, job, SlurmCluster.PARTITION));

        JobState end = awaitEnd(client, id, Duration.ofSeconds(60));

        assertEquals(new JobState(Phase.SUCCEEDED, 0, null), end);
        assertEquals(List.of("0", "1"), Files.readAllLines(job.resolve("out")).stream().sorted().toList());
        assertEquals(SlurmCluster.JOB_USER, client.job(id).orElseThrow().user());
    }

    @Test
    void reportsTheScriptsExitStatusOfAFailedJob() throws Exception {
        Path job = cluster.newJobDir("exit-3");
        SlurmRestClient client = client();
        long id = client.submit(spec("sn37-test-exit-3", "#!/bin/bash\nexit 3\n", job, null));

        JobState end = awaitEnd(client, id, Duration.ofSeconds(60));

        assertEquals(Phase.FAILED, end.phase());
        assertEquals(3, end.exitCode());
        assertTrue(end.reason().startsWith("Slurm state FAILED"), end.reason());
    }

    @Test
    void findsTheNewestJobByNameAndNothingForAnUnknownName() throws Exception {
        Path job = cluster.newJobDir("by-name");
        SlurmRestClient client = client();
        long first = client.submit(spec("sn37-test-by-name", "#!/bin/bash\ntrue\n", job, null));
        long second = client.submit(spec("sn37-test-by-name", "#!/bin/bash\ntrue\n", job, null));

        assertEquals(Optional.of(second), client.newest("sn37-test-by-name").map(SlurmJob::id));
        assertTrue(second > first);
        assertEquals(Optional.empty(), client.newest("sn37-test-no-such-job"));
        awaitEnd(client, second, Duration.ofSeconds(60));
    }

    @Test
    void cancelEndsTheJobCancelledAfterItsTermTrapRan() throws Exception {
        Path job = cluster.newJobDir("cancel");
        SlurmRestClient client = client();
        // The tasks say when they run: a cancel that beats srun's launch would end the script before its trap.
        String script = "#!/bin/bash\ntrap 'echo stopping > trapped; exit 143' TERM\n"
                + "srun -n 2 bash -c 'echo $SLURM_PROCID >> running; exec sleep 300' &\nwait\n";
        long id = client.submit(spec("sn37-test-cancel", script, job, null));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (lines(job.resolve("running")) < 2 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(Phase.RUNNING, SlurmJobStates.of(client.job(id).orElseThrow()).phase());

        client.cancel(id);
        JobState end = awaitEnd(client, id, Duration.ofSeconds(SlurmCluster.KILL_WAIT_S + 30));

        assertEquals(new JobState(Phase.CANCELLED, 143, "Slurm state CANCELLED"), end);
        assertEquals(List.of("stopping"), Files.readAllLines(job.resolve("trapped")));
        client.cancel(id); // an ended job: nothing to do
    }

    private static long lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    }

    @Test
    void forgetsNoJobItNeverHad() throws Exception {
        assertEquals(Optional.empty(), client().job(987654));
        client().cancel(987654);
    }

    @Test
    void aWrongAddressSaysItCannotReachSlurmrestd() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + port);
        SlurmRestClient client = new SlurmRestClient(nowhere, SlurmCluster.JOB_USER, () -> token, TIMEOUT);

        SlurmException e = assertThrows(SlurmException.class, client::jobs);

        assertEquals(SlurmException.Kind.UNREACHABLE, e.kind());
        assertTrue(e.getMessage().startsWith("cannot reach slurmrestd at " + nowhere + ": "), e.getMessage());
        assertFalse(e.getMessage().contains(token));
    }

    @Test
    void aSilentServerTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            URI url = URI.create("http://127.0.0.1:" + silent.getLocalPort());
            SlurmRestClient client = new SlurmRestClient(url, SlurmCluster.JOB_USER, () -> token,
                    Duration.ofMillis(500));
            Thread acceptor = new Thread(() -> {
                try (Socket held = silent.accept()) {
                    Thread.sleep(3000);
                } catch (IOException | InterruptedException e) {
                    // the test is over
                }
            });
            acceptor.start();

            SlurmException e = assertThrows(SlurmException.class, client::version);

            assertEquals(SlurmException.Kind.TIMEOUT, e.kind());
            assertTrue(e.getMessage().startsWith("slurmrestd at " + url + " did not answer GET /openapi/v3 within"),
                    e.getMessage());
            acceptor.interrupt();
        }
    }

    @Test
    void anExpiredTokenIsRefusedWithoutEchoingIt() throws Exception {
        String shortLived = cluster.token(SlurmCluster.JOB_USER, 1);
        Instant expiry = SlurmToken.expiry(shortLived).orElseThrow();
        while (!Instant.now().isAfter(expiry.plusMillis(100))) {
            Thread.sleep(100);
        }
        SlurmRestClient client = new SlurmRestClient(cluster.restUrl(), null, () -> shortLived, TIMEOUT);

        SlurmException e = assertThrows(SlurmException.class, client::jobs);

        assertEquals(SlurmException.Kind.AUTH, e.kind());
        assertTrue(e.getMessage().startsWith("slurmrestd refused the token for user nobody: it is missing, wrong or"
                + " expired (it expired at "), e.getMessage());
        assertTrue(e.getMessage().contains("make a new one with scontrol token"), e.getMessage());
        assertFalse(e.getMessage().contains(shortLived));
    }

    @Test
    void aTokenSlurmctldRejectsIsRefusedWithoutEchoingIt() throws Exception {
        String forged = cluster.token(SlurmCluster.JOB_USER, 600) + "x";
        SlurmRestClient client = new SlurmRestClient(cluster.restUrl(), SlurmCluster.JOB_USER, () -> forged, TIMEOUT);

        SlurmException e = assertThrows(SlurmException.class, client::jobs);

        assertEquals(SlurmException.Kind.AUTH, e.kind());
        assertTrue(e.getMessage().startsWith("slurmrestd refused the token for user nobody: it is missing, wrong or"
                + " expired; make a new one with scontrol token"), e.getMessage());
        assertFalse(e.getMessage().contains(forged.substring(0, forged.length() - 1)));
    }

    @Test
    void noTokenAsksForOne() {
        SlurmRestClient client = new SlurmRestClient(cluster.restUrl(), SlurmCluster.JOB_USER, () -> null, TIMEOUT);

        SlurmException e = assertThrows(SlurmException.class, client::jobs);

        assertEquals(SlurmException.Kind.AUTH, e.kind());
        assertTrue(e.getMessage().startsWith("no Slurm token: set SLURM_JWT"), e.getMessage());
    }

    @Test
    void aRefusedPartitionIsNamedWithSlurmsReason() throws Exception {
        Path job = cluster.newJobDir("refused");

        SlurmException e = assertThrows(SlurmException.class, () -> client().submit(spec("sn37-test-refused",
                "#!/bin/bash\ntrue\n", job, SlurmCluster.REFUSED_PARTITION)));

        assertEquals(SlurmException.Kind.PARTITION, e.kind());
        assertEquals("Slurm refused partition 'closed' for job sn37-test-refused: User's group not permitted to use"
                + " this partition; choose a partition this user may submit to (sinfo lists them)", e.getMessage());
        assertEquals(Optional.empty(), client().newest("sn37-test-refused"));
    }

    @Test
    void takesTheUserFromTheTokenAndTheScontrolPrefix() throws Exception {
        SlurmRestClient client = new SlurmRestClient(cluster.restUrl(), null, () -> "SLURM_JWT=" + token, TIMEOUT);

        assertEquals("nobody", client.user());
        assertEquals("v0.0.38", client.version());
        assertFalse(client.toString().contains(token));
    }
}
