package sn37.miner.launch.slurm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real one-node Slurm cluster on 127.0.0.1 from Debian's packages (slurmctld, slurmd, slurmrestd, munge;
 * 22.05), everything in a temp folder: its own slurm.conf (through {@code SLURM_CONF} and {@code -f}), state,
 * spool, logs, munge key and socket, JWT key. Nothing is written under /etc. munged runs as {@code munge},
 * slurmctld and slurmd as root, slurmrestd as {@code nobody} with {@code SLURM_JWT=daemon}: it passes each
 * request's token to slurmctld, so jobs run as the token's user.
 *
 * <p>Needs root and the packages ({@code .ci/run} installs them). Without them a test skips, or fails when the
 * {@code CI} variable is set. {@link #shared()} starts one cluster per JVM (about 2 s) and stops it at exit;
 * every wait is bounded and every daemon, job and job step is killed at {@link #close()}.
 */
public final class SlurmCluster implements AutoCloseable {
    public static final String PARTITION = "debug";
    /** A partition only members of group root may use: Slurm refuses it to {@link #JOB_USER}. */
    public static final String REFUSED_PARTITION = "closed";
    /** An unprivileged user the tests' jobs run as. */
    public static final String JOB_USER = "nobody";
    /** Seconds between a cancel's SIGTERM and its SIGKILL: enough for a tiny model's checkpoint. */
    public static final int KILL_WAIT_S = 15;

    private static final List<String> PROGRAMS = List.of("munged", "slurmctld", "slurmd", "slurmrestd", "scontrol",
            "sinfo", "squeue", "scancel", "setpriv");
    private static final Duration START_WAIT = Duration.ofSeconds(20);
    private static SlurmCluster shared;
    private static String sharedFailure;

    private final Path dir;
    private final Path conf;
    private final String host;
    private final int restPort;
    private final List<Process> daemons = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** The JVM's cluster, started on first use and stopped by a shutdown hook. Skips (or fails under CI). */
    public static synchronized SlurmCluster shared() {
        if (shared == null && sharedFailure == null) {
            String missing = missing();
            if (missing != null) {
                sharedFailure = "no Slurm test cluster here: " + missing + " (apt-get install slurmctld slurmd"
                        + " slurmrestd munge slurm-client, as root)";
            } else {
                try {
                    shared = new SlurmCluster();
                    Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "slurm-cluster-stop"));
                } catch (IOException | RuntimeException e) {
                    sharedFailure = "the Slurm test cluster did not start: " + e.getMessage();
                }
            }
        }
        if (sharedFailure != null) {
            if (System.getenv("CI") != null) {
                Assertions.fail(sharedFailure);
            }
            Assumptions.abort(sharedFailure);
        }
        return shared;
    }

    /** Why this machine cannot run a cluster, or null. */
    static String missing() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "not root (slurmd and slurmctld must run as root)";
        }
        List<String> absent = PROGRAMS.stream().filter(p -> !onPath(p)).toList();
        if (!absent.isEmpty()) {
            return "missing " + String.join(", ", absent);
        }
        for (String user : List.of("munge", JOB_USER)) {
            if (!userExists(user)) {
                return "no user " + user;
            }
        }
        return null;
    }

    public SlurmCluster() throws IOException {
        long started = System.nanoTime();
        dir = Files.createTempDirectory("sn37-slurm-");
        conf = dir.resolve("slurm.conf");
        host = shortHostName();
        restPort = freePort();
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            for (String sub : List.of("state", "spool", "log", "jobs")) {
                Files.createDirectory(dir.resolve(sub));
            }
            Path munge = Files.createDirectory(dir.resolve("munge"));
            Path mungeKey = writeKey(munge.resolve("munge.key"), 1024);
            chown(munge, "munge");
            chown(mungeKey, "munge");
            Files.setPosixFilePermissions(mungeKey, PosixFilePermissions.fromString("r--------"));
            Path jwtKey = writeKey(dir.resolve("jwt_hs256.key"), 64);
            Files.setPosixFilePermissions(jwtKey, PosixFilePermissions.fromString("rw-------"));
            Files.writeString(conf, slurmConf(jwtKey, freePort(), freePort()));

            // munged refuses a socket folder others cannot enter, and a key others can read.
            Path socket = munge.resolve("munge.socket");
            start("munged", List.of("setpriv", "--reuid=munge", "--regid=" + gid("munge"), "--clear-groups",
                    "munged", "--foreground", "--socket=" + socket, "--key-file=" + mungeKey,
                    "--pid-file=" + munge.resolve("munged.pid"), "--log-file=" + munge.resolve("munged.log"),
                    "--seed-file=" + munge.resolve("munged.seed")), Map.of());
            await("munged's socket", () -> Files.exists(socket), "munged");
            start("slurmctld", List.of("slurmctld", "-D", "-i", "-f", conf.toString()), Map.of());
            start("slurmd", List.of("slurmd", "-D", "-N", host, "-f", conf.toString()), Map.of());
            await("node " + host + " idle", () -> sinfoSaysIdle(), "slurmctld", "slurmd");
            start("slurmrestd", List.of("setpriv", "--reuid=" + JOB_USER, "--regid=" + gid(JOB_USER),
                    "--clear-groups", "slurmrestd", "-a", "rest_auth/jwt", "-s", "openapi/v0.0.38",
                    "127.0.0.1:" + restPort), Map.of("SLURM_JWT", "daemon"));
            await("slurmrestd on port " + restPort, this::restListens, "slurmrestd");
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        System.err.printf("slurm test cluster up in %d ms at %s (%s)%n",
                (System.nanoTime() - started) / 1_000_000, restUrl(), dir);
    }

    public URI restUrl() {
        return URI.create("http://127.0.0.1:" + restPort);
    }

    /** The node's name, which {@code scontrol show hostnames} gives jobs: the machine's short host name. */
    public String host() {
        return host;
    }

    /** A JWT for {@code user}, valid for {@code lifespanSeconds}, from {@code scontrol token}. */
    public String token(String user, int lifespanSeconds) {
        String out = run(List.of("scontrol", "token", "username=" + user, "lifespan=" + lifespanSeconds),
                Duration.ofSeconds(10)).strip();
        if (!out.startsWith("SLURM_JWT=")) {
            throw new IllegalStateException("scontrol token printed no token");
        }
        return out.substring("SLURM_JWT=".length());
    }

    /** A fresh job folder every user may write, since jobs run as the token's user. */
    public Path newJobDir(String name) throws IOException {
        Path job = Files.createDirectory(dir.resolve("jobs").resolve(name));
        Files.setPosixFilePermissions(job, PosixFilePermissions.fromString("rwxrwxrwx"));
        return job;
    }

    /** Whether {@code user} may execute {@code program} (a venv's python often links into root's home). */
    public static boolean canRun(String user, Path program) {
        try {
            Process p = new ProcessBuilder("setpriv", "--reuid=" + user, "--regid=" + gid(user), "--clear-groups",
                    "test", "-x", program.toString()).redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs a Slurm command against this cluster, as root; returns its output. */
    public String run(List<String> command, Duration timeout) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("SLURM_CONF", conf.toString());
            Process p = builder.start();
            p.getOutputStream().close();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " took longer than " + timeout);
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(command.get(0) + " exited " + p.exitValue() + ": " + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    /** Stops every job, then every daemon, then any process of this cluster left over; deletes the folder. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (daemons.size() >= 3) {
                String ids = run(List.of("squeue", "-h", "-o", "%i"), Duration.ofSeconds(5)).strip();
                if (!ids.isEmpty()) {
                    List<String> cancel = new ArrayList<>(List.of("scancel"));
                    cancel.addAll(List.of(ids.split("\\s+")));
                    run(cancel, Duration.ofSeconds(5));
                    waitFor(Duration.ofSeconds(KILL_WAIT_S + 5),
                            () -> run(List.of("squeue", "-h", "-o", "%i"), Duration.ofSeconds(5)).isBlank());
                }
            }
        } catch (RuntimeException e) {
            System.err.println("slurm test cluster: cancelling its jobs failed: " + e.getMessage());
        }
        for (int i = daemons.size() - 1; i >= 0; i--) {
            stop(daemons.get(i));
        }
        killLeftovers();
        deleteTree(dir);
    }

    private String slurmConf(Path jwtKey, int ctldPort, int slurmdPort) throws IOException {
        int cpus = Math.max(4, Runtime.getRuntime().availableProcessors());
        long memoryMb = Math.max(512, memTotalKb() / 1024 * 9 / 10);
        return String.join("\n",
                "# sn37 test cluster, written by SlurmCluster",
                "ClusterName=sn37test",
                "SlurmctldHost=" + host + "(127.0.0.1)",
                "SlurmctldPort=" + ctldPort,
                "SlurmdPort=" + slurmdPort,
                "SlurmUser=root",
                "SlurmdUser=root",
                "AuthType=auth/munge",
                "CredType=cred/munge",
                "AuthInfo=socket=" + dir.resolve("munge/munge.socket"),
                "AuthAltTypes=auth/jwt",
                "AuthAltParameters=jwt_key=" + jwtKey,
                "StateSaveLocation=" + dir.resolve("state"),
                "SlurmdSpoolDir=" + dir.resolve("spool"),
                "SlurmctldPidFile=" + dir.resolve("slurmctld.pid"),
                "SlurmdPidFile=" + dir.resolve("slurmd.pid"),
                "SlurmctldLogFile=" + dir.resolve("log/slurmctld.log"),
                "SlurmdLogFile=" + dir.resolve("log/slurmd.log"),
                "ProctrackType=proctrack/linuxproc",
                "TaskPlugin=task/none",
                "SelectType=select/cons_tres",
                "SelectTypeParameters=CR_CPU",
                "SchedulerType=sched/builtin",
                "ReturnToService=2",
                // the node counts as configured whatever this machine has: 2 tasks fit on a 1-CPU CI runner
                "SlurmdParameters=config_overrides",
                "KillWait=" + KILL_WAIT_S,
                "MinJobAge=600",
                "NodeName=" + host + " NodeAddr=127.0.0.1 CPUs=" + cpus + " RealMemory=" + memoryMb
                        + " State=UNKNOWN",
                "PartitionName=" + PARTITION + " Nodes=" + host + " Default=YES MaxTime=INFINITE State=UP",
                "PartitionName=" + REFUSED_PARTITION + " Nodes=" + host + " AllowGroups=root State=UP",
                "");
    }

    private void start(String name, List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("log/" + name + ".out").toFile());
        builder.environment().put("SLURM_CONF", conf.toString());
        builder.environment().putAll(env);
        Process p = builder.start();
        p.getOutputStream().close();
        daemons.add(p);
    }

    private void await(String what, BooleanSupplier ready, String... logs) throws IOException {
        if (waitFor(START_WAIT, () -> ready.getAsBoolean() || daemons.stream().anyMatch(p -> !p.isAlive()))
                && daemons.stream().allMatch(Process::isAlive)) {
            return;
        }
        StringBuilder tail = new StringBuilder();
        for (String log : logs) {
            tail.append("\n--- ").append(log).append(": ").append(tail(dir.resolve("log/" + log + ".out")));
        }
        throw new IOException("no " + what + " within " + START_WAIT.toSeconds() + " s" + tail);
    }

    private boolean sinfoSaysIdle() {
        try {
            return run(List.of("sinfo", "-h", "-n", host, "-o", "%T"), Duration.ofSeconds(5)).strip().equals("idle");
        } catch (RuntimeException e) {
            return false;
        }
    }

    private boolean restListens() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", restPort), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean waitFor(Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }

    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** slurmstepd daemonizes away from slurmd, so a step that outlived its cancel is found by its environment. */
    private void killLeftovers() {
        byte[] marker = ("SLURM_CONF=" + conf).getBytes(StandardCharsets.UTF_8);
        long self = ProcessHandle.current().pid();
        ProcessHandle.allProcesses().filter(h -> h.pid() != self).forEach(h -> {
            try {
                byte[] environ = Files.readAllBytes(Path.of("/proc", Long.toString(h.pid()), "environ"));
                if (indexOf(environ, marker) >= 0) {
                    h.destroyForcibly();
                }
            } catch (IOException | RuntimeException e) {
                // gone already, or not ours to read
            }
        });
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            if (i + needle.length == haystack.length || haystack[i + needle.length] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static Path writeKey(Path file, int bytes) throws IOException {
        byte[] key = new byte[bytes];
        new SecureRandom().nextBytes(key);
        Files.write(file, key);
        return file;
    }

    private static void chown(Path path, String user) throws IOException {
        UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(path, users.lookupPrincipalByName(user));
        Files.getFileAttributeView(path, java.nio.file.attribute.PosixFileAttributeView.class)
                .setGroup(users.lookupPrincipalByGroupName(gid(user)));
    }

    private static String gid(String user) {
        try {
            Process p = new ProcessBuilder("id", "-g", user).redirectErrorStream(true).start();
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("no group for user " + user);
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static boolean userExists(String user) {
        try {
            return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith(user + ":"));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin";
        return Stream.of(path.split(":")).filter(d -> !d.isEmpty())
                .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }

    private static String shortHostName() throws IOException {
        String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        int dot = name.indexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static long memTotalKb() throws IOException {
        return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(1024 * 1024L);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("slurm test cluster: could not delete " + root + ": " + e.getMessage());
        }
    }
}
