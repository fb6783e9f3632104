package sn37.miner.netwatch;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Polls the sockets a process and its descendants hold, from /proc: each {@code socket:[inode]} link in
 * {@code /proc/<pid>/fd} is looked up in that process's {@code net/} inet tables. A socket with a non-loopback end, or
 * any packet socket, is a violation. It sees what native code opens too; a socket opened and closed between two
 * samples escapes it. Unix-domain and netlink sockets are in none of the inet tables and are not reported.
 */
public final class ProcSocketWatcher implements AutoCloseable {
    private static final Pattern SOCKET_LINK = Pattern.compile("socket:\\[(\\d+)]");

    private final Path proc;
    private final Supplier<List<Long>> pids;
    private final ByteOrder hostOrder;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Set<String> violations = ConcurrentHashMap.newKeySet();
    private final AtomicInteger samples = new AtomicInteger();
    private volatile Thread poller;
    private volatile boolean stopped;
    private volatile Exception failure;

    /** {@code pids} gives the processes to look at now, empty once the watched process is gone. */
    public ProcSocketWatcher(Path proc, Supplier<List<Long>> pids, ByteOrder hostOrder) {
        this.proc = proc;
        this.pids = pids;
        this.hostOrder = hostOrder;
    }

    /** Watches {@code process} and its descendants in /proc every {@code every} until it exits or this is closed. */
    public static ProcSocketWatcher start(ProcessHandle process, Duration every) {
        ProcSocketWatcher w = new ProcSocketWatcher(Path.of("/proc"), () -> {
            if (!process.isAlive()) return List.of();
            List<Long> all = new ArrayList<>(List.of(process.pid()));
            process.descendants().forEach(d -> all.add(d.pid()));
            return all;
        }, ByteOrder.nativeOrder());
        Thread t = new Thread(() -> {
            try {
                while (!w.stopped && w.sample()) Thread.sleep(every.toMillis());
            } catch (Exception e) {
                w.failure = e;
            }
        }, "proc-socket-watcher");
        t.setDaemon(true);
        w.poller = t;
        t.start();
        return w;
    }

    /** One look at every process; false when there was none left to look at. */
    public boolean sample() {
        boolean lookedAtOne = false;
        for (long pid : pids.get()) {
            Set<Long> inodes;
            try {
                inodes = socketInodes(pid);
            } catch (NoSuchFileException gone) {
                continue;
            }
            lookedAtOne = true;
            if (!inodes.isEmpty()) classify(pid, inodes);
        }
        if (lookedAtOne) samples.incrementAndGet();
        return lookedAtOne;
    }

    private Set<Long> socketInodes(long pid) throws NoSuchFileException {
        Set<Long> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve(pid + "/fd"))) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException closedMeanwhile) {
                    continue;
                }
                Matcher m = SOCKET_LINK.matcher(target);
                if (m.matches()) inodes.add(Long.parseLong(m.group(1)));
            }
        } catch (NoSuchFileException gone) {
            throw gone;
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + proc.resolve(pid + "/fd") + ": " + e, e);
        }
        return inodes;
    }

    private void classify(long pid, Set<Long> inodes) {
        Path net = proc.resolve(pid + "/net");
        Map<Long, ProcNetTable.Entry> inet = new HashMap<>();
        for (String table : ProcNetTable.INET_TABLES) {
            List<String> lines = readIfPresent(net.resolve(table));
            if (lines != null) inet.putAll(ProcNetTable.parse(table, lines, hostOrder));
        }
        Set<Long> packet = packetInodes(readIfPresent(net.resolve("packet")));
        for (long inode : inodes) {
            ProcNetTable.Entry e = inet.get(inode);
            if (e != null) {
                seen.add("pid " + pid + " " + e);
                if (!e.isLoopbackOnly()) violations.add("pid " + pid + " " + e);
            } else if (packet.contains(inode)) {
                violations.add("pid " + pid + " packet socket inode " + inode);
            }
        }
    }

    /** {@code sk RefCnt Type Proto Iface R Rmem User Inode}: the inode is the last column. */
    static Set<Long> packetInodes(List<String> lines) {
        Set<Long> inodes = new HashSet<>();
        if (lines == null) return inodes;
        for (String line : lines) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 9 || f[0].equals("sk")) continue;
            inodes.add(Long.parseLong(f[f.length - 1]));
        }
        return inodes;
    }

    private static List<String> readIfPresent(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (NoSuchFileException absent) {
            return null;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e, e);
        }
    }

    public int samples() {
        return samples.get();
    }

    /** Every inet socket seen, with its pid. */
    public List<String> seen() {
        return List.copyOf(seen);
    }

    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** Why polling stopped before the process exited, or null. */
    public Exception failure() {
        return failure;
    }

    /** Stops polling and waits for the poller to finish its current sample. */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        Thread t = poller;
        if (t != null) t.join(5_000);
    }
}
