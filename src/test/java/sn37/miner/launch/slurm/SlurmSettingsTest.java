package sn37.miner.launch.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import org.junit.jupiter.api.Test;

class SlurmSettingsTest {
    private static SlurmSettings cpusPerTask(int cpus) {
        return new SlurmSettings(URI.create("http://head:6820"), null, null, 1, null, 0, 0, cpus, null, null);
    }

    @Test
    void eachProcessOfAnAgentGetsItsShareOfTheTasksCpusForOpenMp() {
        assertEquals(8, cpusPerTask(8).ompThreads(1));
        assertEquals(2, cpusPerTask(8).ompThreads(4));
        assertEquals(2, cpusPerTask(7).ompThreads(3));
    }

    @Test
    void fewerCpusThanProcessesStillLeavesOneThreadEach() {
        assertEquals(1, cpusPerTask(1).ompThreads(1));
        assertEquals(1, cpusPerTask(2).ompThreads(8));
    }

    @Test
    void aTaskNeedsACpu() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cpusPerTask(0));
        assertEquals("Slurm CPUs per task must be at least 1, got 0", e.getMessage());
    }
}
