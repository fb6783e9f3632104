package sn37.miner.launch.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sn37.miner.testing.Slow;
import sn37.miner.testing.TrainerPython;
import sn37.miner.launch.JobHandle;
import sn37.miner.launch.JobRequest;
import sn37.miner.launch.JobState;
import sn37.miner.launch.JobState.Phase;
import sn37.miner.launch.TrainingLauncher;

/**
 * The launcher against a real Slurm cluster on loopback: two tasks on the one node stand in for two nodes, each a
 * torchrun agent. The torchrun test runs in the trainer's Python environment ({@link TrainerPython}).
 */
@Slow
class SlurmLauncherTest {
    private static SlurmCluster cluster;
    private static String token;

    @BeforeAll
    static void cluster() {
        cluster = SlurmCluster.shared();
        token = cluster.token(SlurmCluster.JOB_USER, 3600);
    }

    private static SlurmLauncher launcher(String user, String userToken) {
        SlurmSettings settings = SlurmSettings.of(cluster.restUrl()).withUser(user)
                .withPartition(SlurmCluster.PARTITION).withTasksPerNode(2).withTimeLimit(Duration.ofMinutes(10));
        return new SlurmLauncher(settings, () -> userToken);
    }

    /** A stand-in for python: an executable script the job's user may run. */
    private static Path program(Path dir, String body) throws IOException {
        Path program = dir.resolve("fake-python");
        Files.writeString(program, body);
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        return program;
    }

    private static JobState awaitEnd(TrainingLauncher launcher, JobHandle job, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            JobState state = launcher.state(job);
            if (state.phase().ended()) {
                return state;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(job + " still " + state + " after " + limit);
            }
            Thread.sleep(250);
        }
    }

    @Test
    void findsNothingUnderANameNeverSubmitted() throws Exception {
        assertEquals(Optional.empty(), launcher(SlurmCluster.JOB_USER, token).find("sn37-never-a1"));
    }

    @Test
    void startsOneTorchrunAgentPerTaskWithTheRendezvousOnTheFirstNode() throws Exception {
        Path dir = cluster.newJobDir("agents");
        Path python = program(dir, "#!/bin/sh\necho \"$SLURM_PROCID $SN37_MARK $OMP_NUM_THREADS $*\" >> agents.txt\n");
        SlurmLauncher launcher = launcher(SlurmCluster.JOB_USER, token);
        JobRequest request = new JobRequest("sn37-run7-a1", dir, python, List.of("train.py", "--job",
                "dir with 'quotes'/job.json"), 2, 1, Map.of("SN37_MARK", "marked"), dir.resolve("train.log"));

        JobHandle job = launcher.submit(request);

        assertEquals(Optional.of(job), launcher.find("sn37-run7-a1"));
        assertEquals(new JobState(Phase.SUCCEEDED, 0, null), awaitEnd(launcher, job, Duration.ofSeconds(60)));
        long id = Long.parseLong(job.id());
        // one CPU per task (Slurm's default) for the agent's one process: torchrun would leave OpenMP a thread per CPU
        String agent = " marked 1 -m torch.distributed.run --nnodes 2 --nproc_per_node 1 --rdzv_backend c10d"
                + " --rdzv_endpoint " + cluster.host() + ":" + (20000 + id % 10000) + " --rdzv_id " + id
                + " train.py --job dir with 'quotes'/job.json";
        assertEquals(List.of("0" + agent, "1" + agent),
                Files.readAllLines(dir.resolve("agents.txt")).stream().sorted().toList());
        assertEquals(new JobHandle("slurm", job.id(), "sn37-run7-a1"), job);
    }

    @Test
    void cancelStopsEveryAgentAndEndsCancelled() throws Exception {
        Path dir = cluster.newJobDir("launcher-cancel");
        Path python = program(dir, "#!/bin/bash\necho $SLURM_PROCID >> running\nsleep 300 &\nwait\n");
        SlurmLauncher launcher = launcher(SlurmCluster.JOB_USER, token);
        JobHandle job = launcher.submit(new JobRequest("sn37-run8-a1", dir, python, List.of(), 2, 1, Map.of(),
                dir.resolve("train.log")));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (lines(dir.resolve("running")) < 2 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(Phase.RUNNING, launcher.state(job).phase());

        launcher.cancel(job);
        // Slurm reports the end only once every process of the job is gone: well before the agents' 300 s.
        JobState end = awaitEnd(launcher, job, Duration.ofSeconds(SlurmCluster.KILL_WAIT_S + 30));

        assertEquals(Phase.CANCELLED, end.phase());
        launcher.cancel(job);
    }

    @Test
    void aGpuRequestToAClusterWithoutGpusIsRefusedAtSubmit() throws Exception {
        Path dir = cluster.newJobDir("gpus");
        SlurmSettings settings = new SlurmSettings(cluster.restUrl(), SlurmCluster.JOB_USER, SlurmCluster.PARTITION,
                1, Duration.ofMinutes(10), 0, 2, 1, null, null);
        SlurmLauncher launcher = new SlurmLauncher(settings, () -> token);
        JobRequest request = new JobRequest("sn37-gpus-a1", dir, program(dir, "#!/bin/sh\ntrue\n"), List.of(), 1,
                launcher.nprocPerNode(1), Map.of(), dir.resolve("train.log"));

        SlurmException e = assertThrows(SlurmException.class, () -> launcher.submit(request));

        assertEquals(SlurmException.Kind.GPUS, e.kind());
        assertEquals("Slurm refused job sn37-gpus-a1, which asks for 2 GPUs per node in partition 'debug': Failure"
                + " during parsing; the cluster has no such GPUs there (sinfo -o '%P %G' lists each partition's GPUs):"
                + " set train.slurm.gpus-per-node to what a node has, or to 0 for a CPU job", e.getMessage());
        assertEquals(Optional.empty(), launcher.find("sn37-gpus-a1"), "no job waits for GPUs that never come");
    }

    @Test
    void aJobSlurmForgotIsReportedGone() {
        SlurmException e = assertThrows(SlurmException.class, () -> launcher(SlurmCluster.JOB_USER, token)
                .state(new JobHandle("slurm", "987654", "sn37-old-a1")));

        assertEquals(SlurmException.Kind.JOB_GONE, e.kind());
        assertTrue(e.getMessage().startsWith("Slurm no longer knows job 987654 (sn37-old-a1)"), e.getMessage());
    }

    @Test
    void twoTorchrunAgentsRendezvousThroughSlurmAndAllReduce() throws Exception {
        Path python = TrainerPython.get();
        // A venv's python often links into root's home, which nobody cannot enter; jobs then run as root.
        String user = SlurmCluster.canRun(SlurmCluster.JOB_USER, python) ? SlurmCluster.JOB_USER : "root";
        Path dir = cluster.newJobDir("torchrun");
        Files.writeString(dir.resolve("allreduce.py"), String.join("\n",
                "import os",
                "import torch",
                "import torch.distributed as dist",
                "dist.init_process_group('gloo')",
                "t = torch.tensor([float(dist.get_rank() + 1)])",
                "dist.all_reduce(t)",
                "with open(f'rank{dist.get_rank()}.txt', 'w') as f:",
                "    f.write(f\"{dist.get_world_size()} {int(t.item())} {os.environ['GROUP_RANK']}\\n\")",
                "dist.destroy_process_group()",
                ""));
        SlurmLauncher launcher = launcher(user, cluster.token(user, 3600));
        JobRequest request = new JobRequest("sn37-torch-a1", dir, python, List.of("allreduce.py"), 2, 1,
                Map.of("GLOO_SOCKET_IFNAME", "lo", "OMP_NUM_THREADS", "1"), dir.resolve("train.log"));

        JobHandle job = launcher.submit(request);
        JobState end = awaitEnd(launcher, job, Duration.ofSeconds(240));

        assertEquals(new JobState(Phase.SUCCEEDED, 0, null), end, () -> log(dir.resolve("train.log")));
        // world size 2, 1 + 2 summed over the ranks, one rank in each torchrun agent ("node")
        assertEquals("2 3 0", Files.readString(dir.resolve("rank0.txt")).strip());
        assertEquals("2 3 1", Files.readString(dir.resolve("rank1.txt")).strip());
    }

    private static long lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    }

    private static String log(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
