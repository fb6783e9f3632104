package sn37.miner.netwatch;

import static org.junit.jupiter.api.Assertions.*;

import java.io.FilePermission;
import java.net.InetAddress;
import java.net.SocketPermission;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Calls the check methods directly on an instance that is not installed: nothing here opens a socket. */
class LoopbackOnlySecurityManagerTest {
    @TempDir Path dir;
    Path log;
    LoopbackOnlySecurityManager sm;

    @BeforeEach
    void create() {
        log = dir.resolve("network.txt");
        sm = new LoopbackOnlySecurityManager(log);
    }

    /** The recorded operations, without the stack lines under each refusal. */
    private List<String> lines() throws Exception {
        return Files.readAllLines(log).stream().filter(l -> !l.startsWith("    at ")).toList();
    }

    @Test
    void writesTheInstalledMarkerFirst() throws Exception {
        assertEquals(List.of(LoopbackOnlySecurityManager.INSTALLED), lines());
    }

    @Test
    void allowsAndRecordsLoopbackConnectsAndLookups() throws Exception {
        for (String host : new String[] {"127.0.0.1", "127.5.5.5", "::1", "[::1]", "0:0:0:0:0:0:0:1", "::1%lo",
                "::ffff:127.0.0.1", "localhost", "LOCALHOST."}) {
            sm.checkConnect(host, 8080);
            sm.checkConnect(host, -1);
            sm.checkAccept(host, 40000);
        }
        List<String> lines = lines();
        assertEquals(1 + 9 * 3, lines.size(), lines.toString());
        assertTrue(lines.stream().skip(1).allMatch(l -> l.startsWith("ALLOWED ")), lines.toString());
        assertTrue(lines.contains("ALLOWED connect 127.5.5.5:8080"), lines.toString());
        assertTrue(lines.contains("ALLOWED resolve localhost"), lines.toString());
        assertTrue(lines.contains("ALLOWED accept ::1:40000"), lines.toString());
    }

    @Test
    void refusesAndRecordsConnectsLookupsAndAcceptsOfOtherAddresses() throws Exception {
        String[] hosts = {"8.8.8.8", "10.0.0.1", "192.168.1.10", "172.16.0.5", "0.0.0.0", "256.0.0.1", "2001:db8::1",
                "::ffff:8.8.8.8", "fe80::1%eth0", "huggingface.co", "example.com", "localhost.example.com",
                "127.0.0.1.example.com", "my-laptop", ""};
        for (String host : hosts) {
            SecurityException e = assertThrows(SecurityException.class, () -> sm.checkConnect(host, 443), host);
            assertTrue(e.getMessage().contains("non-loopback") && e.getMessage().contains(host + ":443"), e.getMessage());
            assertThrows(SecurityException.class, () -> sm.checkConnect(host, -1), host);
        }
        assertThrows(SecurityException.class, () -> sm.checkAccept("203.0.113.5", 50000));
        List<String> refused = lines().stream().filter(l -> l.startsWith("REFUSED ")).toList();
        assertEquals(hosts.length * 2 + 1, refused.size(), refused.toString());
        assertTrue(refused.contains("REFUSED resolve huggingface.co"), refused.toString());
        assertTrue(refused.contains("REFUSED accept 203.0.113.5:50000"), refused.toString());
    }

    @Test
    void aRefusalRecordsWhoAsked() throws Exception {
        assertThrows(SecurityException.class, () -> sm.checkConnect("10.1.2.3", 80));
        String all = Files.readString(log);
        assertTrue(all.contains("    at " + getClass().getName()), all);
        assertFalse(all.contains("at " + LoopbackOnlySecurityManager.class.getName() + "."), all);
    }

    @Test
    void multicastIsAlwaysRefused() throws Exception {
        InetAddress group = InetAddress.getByName("224.0.0.251"); // a literal: no lookup
        assertThrows(SecurityException.class, () -> sm.checkMulticast(group));
        assertTrue(lines().contains("REFUSED multicast 224.0.0.251"), lines().toString());
    }

    @Test
    void listenIsRecordedWithItsPortOnly() throws Exception {
        sm.checkListen(18080);
        assertTrue(lines().contains("ALLOWED listen port 18080"), lines().toString());
    }

    @Test
    void judgesSocketPermissionsByTheirHostAndLetsEveryOtherPermissionThrough() throws Exception {
        sm.checkPermission(new SocketPermission("localhost:1024-", "listen"));
        sm.checkPermission(new SocketPermission("[::1]:8080", "connect"));
        assertThrows(SecurityException.class,
                () -> sm.checkPermission(new SocketPermission("huggingface.co:443", "connect,resolve")));
        assertThrows(SecurityException.class, () -> sm.checkPermission(new SocketPermission("*.example.com", "resolve")),
                "wildcard");
        sm.checkPermission(new RuntimePermission("exitVM.0"));
        sm.checkPermission(new FilePermission("/etc/hosts", "read"), null);
        sm.checkExit(0);
        List<String> lines = lines();
        assertEquals(5, lines.size(), lines.toString());
        assertEquals("ALLOWED permission listen,resolve localhost:1024-", lines.get(1));
        assertEquals("ALLOWED permission connect,resolve [::1]:8080", lines.get(2));
        assertEquals("REFUSED permission connect,resolve huggingface.co:443", lines.get(3));
        assertEquals("REFUSED permission resolve *.example.com", lines.get(4));
    }

    @Test
    void hostOfReadsEverySocketPermissionNameForm() {
        assertEquals("::1", LoopbackOnlySecurityManager.hostOf("[::1]:80"));
        assertEquals("::1", LoopbackOnlySecurityManager.hostOf("::1"));
        assertEquals("example.com", LoopbackOnlySecurityManager.hostOf("example.com:80-90"));
        assertEquals("*.example.com", LoopbackOnlySecurityManager.hostOf("*.example.com"));
    }

    @Test
    void withoutTheLogPropertyItSaysWhatToPass() {
        assertNull(System.getProperty(LoopbackOnlySecurityManager.LOG_PROPERTY));
        IllegalStateException e = assertThrows(IllegalStateException.class, LoopbackOnlySecurityManager::new);
        assertTrue(e.getMessage().contains("-Dnetwatch.log=FILE"), e.getMessage());
    }
}
