package sn37.miner.launch.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The fields of {@code /proc/<pid>/stat} (proc(5)) that tell a process apart from a later one given the same pid:
 * its start time in clock ticks since boot (field 22) does not change for the life of the process.
 *
 * @param state field 3: R, S, D, Z (zombie: ended, not yet reaped), ...
 * @param processGroup field 5
 * @param startTicks field 22
 */
record ProcStat(char state, long processGroup, long startTicks) {

    static Optional<ProcStat> of(long pid) {
        String text;
        try {
            text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return Optional.empty();
        }
        // The command name (field 2) is in parentheses and may hold spaces or ')': the fields follow the last ')'.
        String[] f = text.substring(text.lastIndexOf(')') + 2).trim().split(" ");
        try {
            return Optional.of(new ProcStat(f[0].charAt(0), Long.parseLong(f[2]), Long.parseLong(f[19])));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    boolean ended() {
        return state == 'Z' || state == 'X';
    }
}
