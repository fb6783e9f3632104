package sn37.miner.launch.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sn37.miner.launch.JobHandle;
import sn37.miner.launch.JobRequest;
import sn37.miner.launch.JobState;
import sn37.miner.launch.LaunchException;

/** The local launcher with a stand-in for Python: a shell script that records its arguments and waits. */
class LocalTorchrunTest {
    @TempDir Path dir;

    /** A "python" that writes its arguments and environment, then sleeps (its child too, in the same group). */
    private Path fakePython(String body) throws Exception {
        Path script = dir.resolve("bin/python");
        Files.createDirectories(script.getParent());
        Files.writeString(script, "#!/bin/sh\necho \"$@\" > args.txt\necho \"secret=${HF_TOKEN:-none} x=${X:-}\" > env.txt\n"
                + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    private JobRequest request(Path python, String name) {
        return new JobRequest(name, dir, python, List.of("/t/train.py", "--job", "job.json"), 1, 2, Map.of("X", "1"),
                dir.resolve("train.log"));
    }

    private static JobState awaitEnd(LocalTorchrun launcher, JobHandle job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JobState state = launcher.state(job);
        while (!state.phase().ended() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            state = launcher.state(job);
        }
        return state;
    }

    @Test
    void runsTorchrunInTheJobDirAndAnotherOrchestratorFindsItRunning() throws Exception {
        LocalTorchrun launcher = new LocalTorchrun(dir);
        JobHandle job = launcher.submit(request(fakePython("sleep 30"), "sn37-r-a1"));
        assertTrue(job.id().matches("\\d+:\\d+"), job.id());
        assertEquals(JobState.Phase.RUNNING, launcher.state(job).phase());
        LocalTorchrun later = new LocalTorchrun(dir);
        assertEquals(job, later.find("sn37-r-a1").orElseThrow());
        assertTrue(later.find("sn37-r-a2").isEmpty());
        assertEquals(JobState.Phase.RUNNING, later.state(job).phase(), "alive: pid and start time match");
        long pid = Long.parseLong(job.id().split(":")[0]);
        assertEquals(pid, ProcStat.of(pid).orElseThrow().processGroup(), "its own process group, for the cancel");

        launcher.cancel(job);
        assertEquals(JobState.Phase.CANCELLED, awaitEnd(launcher, job).phase(), "its parent knows it cancelled it");
        JobState end = awaitEnd(later, job);
        assertEquals(JobState.Phase.FAILED, end.phase(), "no result.json: it did not end cleanly");
        assertEquals("exited without a result; see " + dir.resolve("train.log"), end.reason());
        Thread.sleep(200);
        assertEquals("-m torch.distributed.run --standalone --nnodes 1 --nproc_per_node 2 /t/train.py --job job.json",
                Files.readString(dir.resolve("args.txt")).strip());
        assertEquals("secret=none x=1", Files.readString(dir.resolve("env.txt")).strip());
    }

    @Test
    void aRecycledPidIsNotTheJobAndAResultMeansItSucceeded() throws Exception {
        LocalTorchrun launcher = new LocalTorchrun(dir);
        JobHandle job = launcher.submit(request(fakePython("exit 0"), "sn37-r-a1"));
        assertEquals(new JobState(JobState.Phase.SUCCEEDED, 0, null), awaitEnd(launcher, job));
        long self = ProcessHandle.current().pid();
        JobHandle recycled = new JobHandle("local", self + ":1", "sn37-r-a1");
        assertEquals(JobState.Phase.FAILED, launcher.state(recycled).phase(), "our pid, another start time");
        Files.createDirectories(dir.resolve("final"));
        Files.writeString(dir.resolve("final/result.json"), "{}");
        assertEquals(JobState.Phase.SUCCEEDED, new LocalTorchrun(dir).state(recycled).phase());
    }

    @Test
    void aNameIsStartedOnceAndAMissingPythonIsOneLine() throws Exception {
        LocalTorchrun launcher = new LocalTorchrun(dir);
        JobHandle first = launcher.submit(request(fakePython("exit 0"), "sn37-r-a1"));
        LaunchException twice = assertThrows(LaunchException.class, () -> launcher.submit(request(fakePython("exit 0"),
                "sn37-r-a1")));
        assertTrue(twice.getMessage().startsWith("a job named sn37-r-a1 was started before"), twice.getMessage());
        Path missing = dir.resolve("nowhere/python");
        LaunchException e = assertThrows(LaunchException.class, () -> new LocalTorchrun(dir).submit(
                new JobRequest("sn37-r-a2", dir, missing, List.of(), 1, 1, Map.of(), dir.resolve("train.log"))));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().startsWith("cannot start " + missing + " for job sn37-r-a2"), e.getMessage());
        assertEquals(1, Files.readAllLines(dir.resolve(LocalTorchrun.RECORDS)).size(), "only started jobs are recorded");
        assertTrue(awaitEnd(launcher, first).phase().ended(), "the job ends before its folder is removed");
    }
}
