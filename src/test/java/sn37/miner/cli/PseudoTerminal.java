package sn37.miner.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** util-linux {@code script}: runs a command in a pseudo-terminal and records what the terminal received. */
final class PseudoTerminal {
    private PseudoTerminal() {}

    static Optional<Path> find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "script");
            if (!dir.isEmpty() && Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** {@code script -qfec CMD FILE}: quiet, flushed as it comes, the command's exit status, into {@code record}. */
    static List<String> command(Path script, List<String> command, Path record) {
        StringBuilder sh = new StringBuilder("exec");
        for (String arg : command) sh.append(" '").append(arg.replace("'", "'\\''")).append('\'');
        return List.of(script.toString(), "-qfec", sh.toString(), record.toString());
    }

    /** The JVM that {@code script} started (signals go to it, as Ctrl-C sends them to the foreground job). */
    static ProcessHandle javaUnder(Process script) {
        return script.descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .findFirst().orElseThrow(() -> new AssertionError("no java process under script"));
    }
}
