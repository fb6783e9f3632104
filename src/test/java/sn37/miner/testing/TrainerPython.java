package sn37.miner.testing;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The PyTorch trainer's Python environment for tests: {@code trainer/setup-venv target/trainer-venv}, made once per
 * build (setup-venv reuses a venv made from the same requirements) under a file lock, so parallel test JVMs do not
 * race. When it cannot be made, tests that need it fail under CI (the environment variable {@code CI} is set) and
 * are skipped elsewhere. {@code -Dsn37.trainer.python=PATH} uses an existing environment instead; once found, the
 * path is left in that system property for other tests.
 */
public final class TrainerPython {
    public static final String PROPERTY = "sn37.trainer.python";
    /** pip installs torch and transformers from the configured index: minutes on a fresh machine. */
    private static final long SETUP_MINUTES = 30;

    private static Path python;
    private static String failure;

    private TrainerPython() {}

    /** The venv's python; skips (or under CI fails) the calling test when there is none. */
    public static synchronized Path get() {
        if (python == null && failure == null) find();
        if (python != null) return python;
        if (System.getenv("CI") != null) {
            throw new AssertionError("the trainer's Python environment cannot be made: " + failure);
        }
        Assumptions.abort("the trainer's Python environment cannot be made: " + failure);
        throw new IllegalStateException("unreachable");
    }

    /** The trainer's folder in this checkout. */
    public static Path trainerDir() {
        return Path.of("trainer").toAbsolutePath();
    }

    private static void find() {
        String preset = System.getProperty(PROPERTY);
        if (preset != null && !preset.isBlank()) {
            if (Files.isExecutable(Path.of(preset))) {
                python = Path.of(preset);
            } else {
                failure = "-D" + PROPERTY + " names " + preset + ", which is not an executable";
            }
            return;
        }
        Path target = Path.of("target").toAbsolutePath();
        Path venv = target.resolve("trainer-venv");
        try {
            Files.createDirectories(target);
            try (FileChannel channel = FileChannel.open(target.resolve("trainer-venv.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
                Path log = target.resolve("trainer-venv-setup.log");
                Process setup = new ProcessBuilder(trainerDir().resolve("setup-venv").toString(), venv.toString())
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (!setup.waitFor(SETUP_MINUTES, TimeUnit.MINUTES)) {
                    setup.destroyForcibly();
                    failure = "trainer/setup-venv took over " + SETUP_MINUTES + " minutes (see " + log + ")";
                    return;
                }
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                if (setup.exitValue() != 0) {
                    failure = lines.stream().filter(l -> l.startsWith("error:")).findFirst()
                            .orElse("trainer/setup-venv exited with " + setup.exitValue() + " (see " + log + ")");
                    return;
                }
                python = venv.resolve("bin/python");
                System.setProperty(PROPERTY, python.toString());
            }
        } catch (IOException e) {
            failure = "cannot run trainer/setup-venv: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted while trainer/setup-venv ran";
        }
    }
}
