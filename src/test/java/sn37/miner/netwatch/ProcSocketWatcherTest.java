package sn37.miner.netwatch;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class ProcSocketWatcherTest {
    private static final String TAIL = " 00000000:00000000 00:00000000 00000000     0        0 ";
    private static final String HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid"
            + "  timeout inode";

    @TempDir Path proc;

    private void fd(long pid, int fd, String target) throws Exception {
        Path dir = Files.createDirectories(proc.resolve(pid + "/fd"));
        Files.createSymbolicLink(dir.resolve(Integer.toString(fd)), Path.of(target));
    }

    private void table(long pid, String name, String... lines) throws Exception {
        Path dir = Files.createDirectories(proc.resolve(pid + "/net"));
        Files.write(dir.resolve(name), List.of(lines));
    }

    private static String socket(String local, String remote, String state, long inode) {
        return "   0: " + local + " " + remote + " " + state + TAIL + inode + " 1 0000000000000000 100 0 0 10 0";
    }

    private ProcSocketWatcher watcher(Long... pids) {
        return new ProcSocketWatcher(proc, () -> List.of(pids), ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void flagsOnlyTheProcesssOwnSocketsThatHaveANonLoopbackEnd() throws Exception {
        fd(42, 0, "/dev/null");
        fd(42, 3, "socket:[1001]");
        fd(42, 4, "socket:[1002]");
        fd(42, 5, "socket:[1003]"); // unix-domain: in no inet table
        table(42, "tcp", HEADER, socket("0100007F:1F90", "00000000:0000", "0A", 1001),
                socket("0F02000A:C6D6", "08080808:01BB", "01", 2000)); // another process's connection
        table(42, "udp", HEADER, socket("00000000:14E9", "00000000:0000", "07", 1002));

        ProcSocketWatcher w = watcher(42L);
        assertTrue(w.sample());
        assertEquals(1, w.samples());
        assertEquals(2, w.seen().size(), w.seen().toString());
        assertEquals(List.of("pid 42 udp 0.0.0.0:5353 -> 0.0.0.0:0 state 07 inode 1002"), w.violations());
    }

    @Test
    void looksAtEveryProcessItIsGiven() throws Exception {
        fd(42, 3, "socket:[1001]");
        table(42, "tcp", HEADER, socket("0100007F:1F90", "00000000:0000", "0A", 1001));
        fd(43, 3, "socket:[3001]");
        table(43, "tcp6", HEADER, socket("00000000000000000000000001000000:C6D6",
                "B80D0120000000000000000001000000:01BB", "01", 3001));

        ProcSocketWatcher w = watcher(42L, 43L);
        assertTrue(w.sample());
        assertEquals(1, w.violations().size(), w.violations().toString());
        assertTrue(w.violations().get(0).startsWith("pid 43 tcp6 0:0:0:0:0:0:0:1:50902 "), w.violations().toString());
        assertTrue(w.violations().get(0).contains("-> 2001:db8:0:0:0:0:0:1:443"), w.violations().toString());
    }

    @Test
    void anyPacketSocketIsAViolation() throws Exception {
        fd(42, 7, "socket:[4001]");
        table(42, "packet", "sk               RefCnt Type Proto  Iface R Rmem   User   Inode",
                "0000000000000000 3      3    0003   2     1 0      0      4001");
        ProcSocketWatcher w = watcher(42L);
        w.sample();
        assertEquals(List.of("pid 42 packet socket inode 4001"), w.violations());
    }

    @Test
    void aProcessThatIsGoneEndsTheWatchWithoutASample() {
        ProcSocketWatcher w = watcher(99L);
        assertFalse(w.sample());
        assertFalse(watcher().sample());
        assertEquals(0, w.samples());
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void seesThisJvmsLoopbackSocketsInTheRealProc() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket server = new ServerSocket(0, 1, loopback);
                Socket client = new Socket(loopback, server.getLocalPort());
                Socket accepted = server.accept()) {
            ProcSocketWatcher w = new ProcSocketWatcher(Path.of("/proc"),
                    () -> List.of(ProcessHandle.current().pid()), ByteOrder.nativeOrder());
            assertTrue(w.sample());
            String port = ":" + server.getLocalPort();
            assertTrue(w.seen().stream().anyMatch(s -> s.contains("127.0.0.1" + port + " -> ") && s.contains(" state 0A ")),
                    w.seen().toString());
            assertTrue(w.seen().stream().anyMatch(s -> s.contains("127.0.0.1:" + client.getLocalPort()
                    + " -> 127.0.0.1" + port + " state 01")), w.seen().toString());
            assertTrue(w.violations().stream().noneMatch(v -> v.contains(port)), w.violations().toString());
        }
    }
}
