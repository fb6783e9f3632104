package sn37.miner.netwatch;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetAddress;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Lines as a little-endian x86-64 Linux prints them. */
class ProcNetTableTest {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final String TAIL = " 00000000:00000000 00:00000000 00000000     0        0 ";

    private static ProcNetTable.Entry line(String table, String local, String remote, String state, long inode) {
        return ProcNetTable.parseLine(table, "   0: " + local + " " + remote + " " + state + TAIL + inode
                + " 1 0000000077f1d42b 100 0 0 10 0", LE);
    }

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void readsALoopbackListenerWithItsPortStateAndInode() throws Exception {
        ProcNetTable.Entry e = line("tcp", "0100007F:E649", "00000000:0000", "0A", 358808);
        assertEquals(ip("127.0.0.1"), e.local());
        assertEquals(0xE649, e.localPort());
        assertEquals(ip("0.0.0.0"), e.remote());
        assertEquals(0, e.remotePort());
        assertEquals(0x0A, e.state());
        assertEquals(358808, e.inode());
        assertTrue(e.isLoopbackOnly());
    }

    @Test
    void readsEachIpv4WordLittleEndian() throws Exception {
        ProcNetTable.Entry e = line("tcp", "0F02000A:C6D6", "08080808:0035", "01", 7);
        assertEquals(ip("10.0.2.15"), e.local());
        assertEquals(ip("8.8.8.8"), e.remote());
        assertEquals(53, e.remotePort());
        assertFalse(e.isLoopbackOnly());
        assertEquals(ip("127.0.0.1"), ProcNetTable.address("7F000001", ByteOrder.BIG_ENDIAN));
    }

    @Test
    void loopbackConnectionBothWaysIsLoopbackOnly() {
        assertTrue(line("tcp", "0100007F:C6D6", "0100007F:E649", "01", 1).isLoopbackOnly());
        assertTrue(line("tcp", "0505057F:C6D6", "0100007F:E649", "01", 1).isLoopbackOnly());
    }

    @Test
    void readsIpv6AsFourLittleEndianWords() throws Exception {
        ProcNetTable.Entry e = line("udp6", "00000000000000000000000001000000:941E",
                "00000000000000000000000000000000:0000", "07", 358809);
        assertEquals(ip("::1"), e.local());
        assertEquals(0x941E, e.localPort());
        assertTrue(e.remote().isAnyLocalAddress());
        assertTrue(e.isLoopbackOnly());

        ProcNetTable.Entry out = line("tcp6", "00000000000000000000000001000000:941E",
                "B80D0120000000000000000001000000:01BB", "01", 9);
        assertEquals(ip("2001:db8::1"), out.remote());
        assertFalse(out.isLoopbackOnly());
    }

    @Test
    void ipv4MappedAddressesInTcp6AreJudgedAsIpv4() throws Exception {
        ProcNetTable.Entry loop = line("tcp6", "0000000000000000FFFF00000100007F:8495",
                "0000000000000000FFFF00000100007F:BAFA", "01", 3);
        assertEquals(ip("127.0.0.1"), loop.local());
        assertTrue(loop.isLoopbackOnly());
        ProcNetTable.Entry out = line("tcp6", "0000000000000000FFFF00000100007F:8495",
                "0000000000000000FFFF000008080808:0035", "01", 4);
        assertEquals(ip("8.8.8.8"), out.remote());
        assertFalse(out.isLoopbackOnly());
    }

    @Test
    void aSocketBoundToEveryInterfaceIsNotLoopbackOnly() {
        assertFalse(line("tcp", "00000000:07E8", "00000000:0000", "0A", 1075).isLoopbackOnly());
        assertFalse(line("udp6", "00000000000000000000000000000000:14E9",
                "00000000000000000000000000000000:0000", "07", 5).isLoopbackOnly());
    }

    @Test
    void aSocketNeitherBoundNorConnectedIsLoopbackOnly() {
        assertTrue(line("tcp", "00000000:0000", "00000000:0000", "07", 6).isLoopbackOnly());
    }

    @Test
    void parseSkipsTheHeaderAndKeysByInode() {
        Map<Long, ProcNetTable.Entry> t = ProcNetTable.parse("tcp", List.of(
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 0100007F:E649 00000000:0000 0A" + TAIL + "358808 1 0000000077f1d42b 100 0 0 10 0",
                "   1: 00000000:07E8 00000000:0000 0A" + TAIL + "1075 1 0000000051b57ec0 100 0 0 10 0",
                ""), LE);
        assertEquals(2, t.size());
        assertTrue(t.get(358808L).isLoopbackOnly());
        assertFalse(t.get(1075L).isLoopbackOnly());
    }

    @Test
    void aLineThatIsNotASocketLineIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProcNetTable.parseLine("udp", "garbage here", LE));
        assertTrue(e.getMessage().contains("/proc/net/udp") && e.getMessage().contains("garbage here"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProcNetTable.address("0100007", LE));
    }
}
