package sn37.miner.train.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceMemoryTest {

    @Test
    void readsTheFirstGpusTotalInMib() {
        assertEquals(OptionalLong.of(81_559L << 20), DeviceMemory.parseNvidiaSmi("81559\n81559\n"));
    }

    @Test
    void unknownWhenNvidiaSmiPrintsNoNumber() {
        assertTrue(DeviceMemory.parseNvidiaSmi("[N/A]\n").isEmpty());
        assertTrue(DeviceMemory.parseNvidiaSmi("").isEmpty());
        assertTrue(DeviceMemory.parseNvidiaSmi("NVIDIA-SMI has failed because it couldn't communicate").isEmpty());
    }

    @Test
    void asksTheCommandAndParsesItsAnswer() {
        assertEquals(OptionalLong.of(49_140L << 20),
                DeviceMemory.cuda(List.of("sh", "-c", "echo 49140; echo 49140"), 10));
    }

    @Test
    void unknownWhenTheCommandIsMissingFailsOrHangs() {
        assertTrue(DeviceMemory.cuda(List.of("sn37-no-such-command-nvidia-smi"), 10).isEmpty());
        assertTrue(DeviceMemory.cuda(List.of("sh", "-c", "echo 81559; exit 9"), 10).isEmpty());
        long start = System.nanoTime();
        assertTrue(DeviceMemory.cuda(List.of("sleep", "30"), 1).isEmpty());
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "a hung command is abandoned after its timeout");
    }

    @Test
    void sharesAvailableMemoryAmongProcesses(@TempDir Path dir) throws IOException {
        Path meminfo = dir.resolve("meminfo");
        Files.writeString(meminfo, "MemTotal:       24576000 kB\nMemFree:        1000 kB\n"
                + "MemAvailable:   20000000 kB\nBuffers:        0 kB\n");
        assertEquals(OptionalLong.of(20_000_000L * 1024), DeviceMemory.cpu(meminfo, 1));
        assertEquals(OptionalLong.of(20_000_000L * 1024 / 2), DeviceMemory.cpu(meminfo, 2));
        assertTrue(DeviceMemory.cpu(dir.resolve("missing"), 1).isEmpty());
        Files.writeString(meminfo, "MemTotal: 1 kB\n");
        assertTrue(DeviceMemory.cpu(meminfo, 1).isEmpty());
    }
}
