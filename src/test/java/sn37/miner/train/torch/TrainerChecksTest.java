package sn37.miner.train.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import sn37.miner.testing.Slow;
import sn37.miner.testing.TrainerPython;

/**
 * The PyTorch trainer's own checks under real torchrun on CPU (trainer/tests/run_checks.py): one rank against two,
 * two torchrun agents through c10d, stop file and SIGTERM, resume equal to an uninterrupted run, damaged and foreign
 * checkpoints, LoRA merged at save, bad job files. The script prints what it checks and exits non-zero on a failure.
 */
@Slow
class TrainerChecksTest {

    @Test
    void theTrainersOwnChecksPassUnderTorchrun() throws Exception {
        Path python = TrainerPython.get();
        Path log = Files.createTempFile("trainer-checks", ".log");
        try {
            Process process = new ProcessBuilder(python.toString(),
                    TrainerPython.trainerDir().resolve("tests/run_checks.py").toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("trainer checks still running after 10 minutes");
            }
            String output = Files.readString(log);
            assertEquals(0, process.exitValue(), () -> output.substring(Math.max(0, output.length() - 4000)));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
