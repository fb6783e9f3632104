package sn37.miner.netwatch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the kernel's inet socket tables ({@code /proc/<pid>/net/tcp}, {@code tcp6}, {@code udp}, {@code udp6},
 * {@code raw}, ...): {@code "  sl  local_address rem_address   st ... uid  timeout inode ..."}, one socket a line.
 */
public final class ProcNetTable {
    /** The inet tables, each with the layout above; the last word of the name tells IPv4 from IPv6. */
    public static final List<String> INET_TABLES =
            List.of("tcp", "tcp6", "udp", "udp6", "udplite", "udplite6", "raw", "raw6");

    private ProcNetTable() {}

    /** One socket. For raw sockets the "port" is the IP protocol number. */
    public record Entry(String table, InetAddress local, int localPort, InetAddress remote, int remotePort, int state,
            long inode) {

        /** Both ends loopback, or unspecified with port 0 (not bound / not connected). */
        public boolean isLoopbackOnly() {
            return loopbackOrUnset(local, localPort) && loopbackOrUnset(remote, remotePort);
        }

        private static boolean loopbackOrUnset(InetAddress a, int port) {
            return a.isLoopbackAddress() || (a.isAnyLocalAddress() && port == 0);
        }

        @Override
        public String toString() {
            return String.format("%s %s:%d -> %s:%d state %02X inode %d", table, local.getHostAddress(), localPort,
                    remote.getHostAddress(), remotePort, state, inode);
        }
    }

    /** The table's sockets by inode; the header line is skipped. */
    public static Map<Long, Entry> parse(String table, List<String> lines, ByteOrder hostOrder) {
        Map<Long, Entry> byInode = new HashMap<>();
        for (String line : lines) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("sl ")) continue;
            Entry e = parseLine(table, t, hostOrder);
            byInode.put(e.inode(), e);
        }
        return byInode;
    }

    /** {@code "0: 0100007F:E649 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 358808 ..."}. */
    public static Entry parseLine(String table, String line, ByteOrder hostOrder) {
        String[] f = line.strip().split("\\s+");
        if (f.length < 10 || !f[0].endsWith(":")) {
            throw new IllegalArgumentException("not a /proc/net/" + table + " socket line (expected 'sl: local remote"
                    + " st ... inode'): " + line);
        }
        String[] local = f[1].split(":");
        String[] remote = f[2].split(":");
        return new Entry(table, address(local[0], hostOrder), Integer.parseInt(local[1], 16),
                address(remote[0], hostOrder), Integer.parseInt(remote[1], 16), Integer.parseInt(f[3], 16),
                Long.parseLong(f[9]));
    }

    /**
     * 8 or 32 hex digits. The kernel prints the address as 32-bit words read in host byte order, so on a
     * little-endian machine 127.0.0.1 is {@code 0100007F} and ::1 is {@code 00000000000000000000000001000000}.
     */
    public static InetAddress address(String hex, ByteOrder hostOrder) {
        if (hex.length() != 8 && hex.length() != 32) {
            throw new IllegalArgumentException("not a /proc/net address (8 or 32 hex digits): " + hex);
        }
        ByteBuffer bytes = ByteBuffer.allocate(hex.length() / 2).order(hostOrder);
        for (int i = 0; i < hex.length(); i += 8) {
            bytes.putInt(Integer.parseUnsignedInt(hex.substring(i, i + 8), 16));
        }
        try {
            return InetAddress.getByAddress(bytes.array()); // ::ffff:a.b.c.d comes back as the IPv4 address
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a /proc/net address: " + hex, e);
        }
    }
}
