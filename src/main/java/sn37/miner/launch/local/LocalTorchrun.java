package sn37.miner.launch.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sn37.miner.util.Json;
import sn37.miner.config.Settings;
import sn37.miner.launch.JobHandle;
import sn37.miner.launch.JobRequest;
import sn37.miner.launch.JobState;
import sn37.miner.launch.LaunchException;
import sn37.miner.launch.TrainingLauncher;

/**
 * Runs the trainer as {@code python -m torch.distributed.run --standalone --nnodes 1 --nproc_per_node N ...} on this
 * machine: N GPUs, or N CPU processes with gloo. The job outlives the orchestrator: its output goes to a file, not a
 * pipe, and it runs in its own session (through {@code setsid} where there is one), so a cancel signals torchrun
 * and its workers together. Each start is appended to {@code launches.jsonl} in the job directory as
 * {@code {"name", "id", "log", "time"}}, with id {@code pid:startTicks}: a resumed orchestrator finds the job there,
 * and a pid the kernel gave to another process since is not mistaken for it.
 */
public final class LocalTorchrun implements TrainingLauncher {
    public static final String NAME = "local";
    public static final String RECORDS = "launches.jsonl";
    /** The trainer's result, relative to the job directory (trainer/README.md): present only after a clean end. */
    static final String RESULT = "final/result.json";

    private static final Logger LOG = LoggerFactory.getLogger(LocalTorchrun.class);
    private static final List<Path> SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

    private final Path jobDir;
    /** Jobs this process started: their exit codes are known. */
    private final Map<String, Process> children = new ConcurrentHashMap<>();
    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();

    /** @param jobDir the job directory; its {@value #RECORDS} lists the jobs started there */
    public LocalTorchrun(Path jobDir) {
        this.jobDir = jobDir;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<JobHandle> find(String jobName) throws IOException {
        return records().stream().filter(r -> r.path("name").asText().equals(jobName))
                .reduce((first, second) -> second)
                .map(r -> new JobHandle(NAME, r.path("id").asText(), jobName));
    }

    @Override
    public JobHandle submit(JobRequest request) throws IOException {
        if (request.nnodes() != 1) {
            throw new LaunchException("the local launcher runs one node, not " + request.nnodes()
                    + ": use --launcher slurm for several");
        }
        if (find(request.name()).isPresent()) {
            throw new LaunchException("a job named " + request.name() + " was started before in " + jobDir
                    + ": re-attach to it instead of starting it twice");
        }
        if (!Files.isExecutable(request.python())) {
            // checked here: through setsid a missing interpreter would only show as a job that failed at once
            throw new LaunchException("cannot start " + request.python() + " for job " + request.name()
                    + ": it is not an executable file");
        }
        List<String> command = new ArrayList<>();
        SETSID.stream().filter(Files::isExecutable).findFirst().ifPresent(p -> command.add(p.toString()));
        command.addAll(List.of(request.python().toString(), "-m", "torch.distributed.run", "--standalone",
                "--nnodes", "1", "--nproc_per_node", Integer.toString(request.nprocPerNode())));
        command.addAll(request.trainerArgs());
        ProcessBuilder builder = new ProcessBuilder(command).directory(request.jobDir().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(request.logFile().toFile()));
        // The trainer needs no secret of the orchestrator's.
        builder.environment().keySet().removeIf(LocalTorchrun::secret);
        builder.environment().putAll(request.environment());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new LaunchException("cannot start " + request.python() + " for job " + request.name() + ": "
                    + e.getMessage(), e);
        }
        if (!command.get(0).equals(request.python().toString())) {
            awaitOwnSession(process);
        }
        ProcStat stat = ProcStat.of(process.pid()).orElse(null);
        String id = process.pid() + ":" + (stat == null ? 0 : stat.startTicks());
        children.put(id, process);
        ObjectNode record = Json.mapper().createObjectNode().put("name", request.name()).put("id", id)
                .put("log", request.logFile().toString()).put("time", Instant.now().toString());
        append(record);
        LOG.info("started job {} as process {} (torchrun, {} process{}); its output goes to {}", request.name(),
                process.pid(), request.nprocPerNode(), request.nprocPerNode() == 1 ? "" : "es", request.logFile());
        return new JobHandle(NAME, id, request.name());
    }

    /**
     * setsid makes its own session only once it runs, a moment after start: a cancel before that would signal the
     * orchestrator's group. So the job is handed back once it leads its own group (or has ended), at most 5 s later.
     */
    private static void awaitOwnSession(Process process) throws LaunchException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (process.isAlive() && System.nanoTime() < deadline) {
            ProcStat stat = ProcStat.of(process.pid()).orElse(null);
            if (stat == null || stat.processGroup() == process.pid()) return;
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LaunchException("interrupted while starting process " + process.pid());
            }
        }
    }

    @Override
    public JobState state(JobHandle job) throws IOException {
        Process child = children.get(job.id());
        if (child != null) {
            if (child.isAlive()) return new JobState(JobState.Phase.RUNNING, null, null);
            int code = child.exitValue();
            if (code == 0) return new JobState(JobState.Phase.SUCCEEDED, 0, null);
            return new JobState(cancelled.contains(job.id()) ? JobState.Phase.CANCELLED : JobState.Phase.FAILED, code,
                    "exited with code " + code + "; see " + log(job));
        }
        if (alive(job.id())) return new JobState(JobState.Phase.RUNNING, null, null);
        // Started by an earlier orchestrator: its exit code is gone, its files say how it ended.
        if (Files.isRegularFile(jobDir.resolve(RESULT))) return new JobState(JobState.Phase.SUCCEEDED, null, null);
        return new JobState(JobState.Phase.FAILED, null, "exited without a result; see " + log(job));
    }

    @Override
    public void cancel(JobHandle job) throws IOException {
        long pid = pid(job.id());
        if (!alive(job.id())) return;
        cancelled.add(job.id());
        ProcStat stat = ProcStat.of(pid).orElse(null);
        if (stat != null && stat.processGroup() == pid) {
            // torchrun and its workers: each gets SIGTERM and the trainer stops at its next micro-batch boundary
            Process kill = new ProcessBuilder("kill", "-TERM", "--", "-" + pid).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                if (kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0) return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LaunchException("interrupted while cancelling job " + job.name());
            }
        }
        // no session of its own: torchrun forwards the SIGTERM to its workers
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    }

    /** The process of {@code id} runs: its pid exists and started at the recorded time. */
    private static boolean alive(String id) throws LaunchException {
        long pid = pid(id);
        long ticks = Long.parseLong(id.substring(id.indexOf(':') + 1));
        return ProcStat.of(pid).map(s -> !s.ended() && s.startTicks() == ticks).orElse(false);
    }

    private static long pid(String id) throws LaunchException {
        if (!id.matches("\\d{1,10}:\\d{1,19}")) {
            throw new LaunchException("'" + id + "' is not a local job id (pid:startTicks)");
        }
        return Long.parseLong(id.substring(0, id.indexOf(':')));
    }

    private String log(JobHandle job) throws IOException {
        return records().stream().filter(r -> r.path("id").asText().equals(job.id())).map(r -> r.path("log").asText())
                .reduce((first, second) -> second).orElse(jobDir.toString());
    }

    private List<JsonNode> records() throws IOException {
        Path file = jobDir.resolve(RECORDS);
        if (!Files.isRegularFile(file)) return List.of();
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            try {
                JsonNode node = Json.mapper().readTree(line);
                if (node != null && node.isObject()) out.add(node);
            } catch (IOException torn) {
                // a line cut short by a crash while it was written: that start left no job behind it
            }
        }
        return out;
    }

    private void append(ObjectNode record) throws IOException {
        byte[] line = (Json.mapper().writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel out = FileChannel.open(jobDir.resolve(RECORDS), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            out.write(java.nio.ByteBuffer.wrap(line));
            out.force(true);
        }
    }

    private static boolean secret(String variable) {
        return Settings.isSecretKey(variable) || variable.toUpperCase(java.util.Locale.ROOT).contains("JWT");
    }
}
