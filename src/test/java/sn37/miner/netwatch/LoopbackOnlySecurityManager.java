package sn37.miner.netwatch;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.SocketPermission;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Permission;
import java.util.Locale;

/**
 * Permits everything except network operations with a non-loopback address, which it refuses; every network check
 * (connect, DNS resolution as connect to port -1, accept, listen, multicast, any SocketPermission) is written to the
 * file named by {@value #LOG_PROPERTY}, one line each, after a first line {@value #INSTALLED}.
 * Install it at JVM start: {@code java -Djava.security.manager=sn37.miner.netwatch.LoopbackOnlySecurityManager
 * -Dnetwatch.log=ops.txt ...} (Java 17 warns that the Security Manager is deprecated).
 */
public final class LoopbackOnlySecurityManager extends SecurityManager {
    public static final String LOG_PROPERTY = "netwatch.log";
    public static final String INSTALLED = "INSTALLED";
    public static final String ALLOWED = "ALLOWED";
    public static final String REFUSED = "REFUSED";

    private final FileOutputStream log;

    public LoopbackOnlySecurityManager() {
        this(logFromProperty());
    }

    public LoopbackOnlySecurityManager(Path logFile) {
        try {
            log = new FileOutputStream(logFile.toFile(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the network log " + logFile, e);
        }
        write(INSTALLED);
    }

    private static Path logFromProperty() {
        String file = System.getProperty(LOG_PROPERTY);
        if (file == null || file.isBlank()) {
            throw new IllegalStateException("-D" + LOG_PROPERTY + "=FILE is required: where to record network checks");
        }
        return Path.of(file);
    }

    @Override
    public void checkPermission(Permission perm) {
        if (perm instanceof SocketPermission) socketPermission((SocketPermission) perm);
    }

    @Override
    public void checkPermission(Permission perm, Object context) {
        checkPermission(perm);
    }

    /** Port -1 is a host name lookup (InetAddress asks before resolving). */
    @Override
    public void checkConnect(String host, int port) {
        check(port == -1 ? "resolve " + host : "connect " + host + ":" + port, host);
    }

    @Override
    public void checkConnect(String host, int port, Object context) {
        checkConnect(host, port);
    }

    @Override
    public void checkAccept(String host, int port) {
        check("accept " + host + ":" + port, host);
    }

    /** The JDK passes only the port (the bind address is not known here); the /proc watcher judges the address. */
    @Override
    public void checkListen(int port) {
        write(ALLOWED + " listen port " + port);
    }

    /** A multicast group is never loopback. */
    @Override
    public void checkMulticast(InetAddress group) {
        refuse("multicast " + group.getHostAddress());
    }

    @Override
    @SuppressWarnings("deprecation")
    public void checkMulticast(InetAddress group, byte ttl) {
        checkMulticast(group);
    }

    private void socketPermission(SocketPermission p) {
        check("permission " + p.getActions() + " " + p.getName(), hostOf(p.getName()));
    }

    private void check(String what, String host) {
        if (isLoopback(host)) {
            write(ALLOWED + " " + what);
        } else {
            refuse(what);
        }
    }

    private void refuse(String what) {
        StringBuilder line = new StringBuilder(REFUSED).append(' ').append(what);
        StackTraceElement[] stack = new Throwable().getStackTrace();
        for (int i = 0, shown = 0; i < stack.length && shown < 15; i++) {
            if (stack[i].getClassName().equals(getClass().getName())) continue;
            line.append(System.lineSeparator()).append("    at ").append(stack[i]);
            shown++;
        }
        write(line.toString());
        throw new SecurityException("network access to a non-loopback address refused: " + what);
    }

    /** "host:port", "[v6]:port", "v6" or "*.domain" as a SocketPermission names it. */
    static String hostOf(String permissionName) {
        if (permissionName.startsWith("[")) {
            int end = permissionName.indexOf(']');
            return end < 0 ? permissionName : permissionName.substring(1, end);
        }
        int colon = permissionName.indexOf(':');
        if (colon < 0 || permissionName.indexOf(':', colon + 1) >= 0) return permissionName;
        return permissionName.substring(0, colon);
    }

    /**
     * localhost, 127.0.0.0/8, ::1 or ::ffff:127.x, judged from the text alone: resolving a name here would itself be a
     * network lookup (and a recursive check).
     */
    public static boolean isLoopback(String host) {
        if (host == null) return false;
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        if (h.equals("localhost")) return true;
        if (h.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            for (String octet : h.split("\\.")) {
                if (Integer.parseInt(octet) > 255) return false;
            }
            return h.startsWith("127.");
        }
        int scope = h.indexOf('%');
        if (scope >= 0) h = h.substring(0, scope);
        if (h.indexOf(':') >= 0 && h.matches("[0-9a-f:][0-9a-f:.]*")) {
            try {
                return InetAddress.getByName(h).isLoopbackAddress(); // an IPv6 literal: parsed, never looked up
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    private synchronized void write(String line) {
        try {
            log.write((line + System.lineSeparator()).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the network log", e);
        }
    }
}
