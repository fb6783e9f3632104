package sn37.miner.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Whether stderr is a terminal: the progress bar redraws in place there, and prints plain lines elsewhere. */
final class Terminal {
    private Terminal() {}

    /**
     * Linux says where fd 2 points; System.console() would answer for stdin and stdout instead, and so send escape
     * codes into a log file that stderr is redirected to.
     */
    static boolean stderrIsTerminal() {
        if ("dumb".equals(System.getenv("TERM"))) return false;
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception notLinux) {
            return System.console() != null;
        }
    }
}
