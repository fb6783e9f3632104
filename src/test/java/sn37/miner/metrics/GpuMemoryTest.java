package sn37.miner.metrics;

import static org.junit.jupiter.api.Assertions.*;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class GpuMemoryTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void withoutNvidiaSmiNothingIsRegistered() {
        new GpuMemory(() -> null).bindTo(registry);
        assertTrue(registry.getMeters().isEmpty(), registry.scrape());
    }

    @Test
    void anAnswerThatIsNotNumbersRegistersNothing() {
        new GpuMemory(() -> "0, [N/A], [N/A]\n").bindTo(registry);
        new GpuMemory(() -> "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n")
                .bindTo(registry);
        assertTrue(registry.getMeters().isEmpty(), registry.scrape());
    }

    @Test
    void reportsEachDeviceInBytesFromNvidiaSmisMebibytes() {
        new GpuMemory(() -> "0, 1024, 81559\n1, 0, 81559\n").bindTo(registry);
        Scrape s = new Scrape(registry.scrape());
        assertEquals(1024L << 20, s.value(GpuMemory.USED, "gpu=\"0\""));
        assertEquals(81559L << 20, s.value(GpuMemory.TOTAL, "gpu=\"1\""));
        assertEquals(0, s.value(GpuMemory.USED, "gpu=\"1\""));
    }

    @Test
    void parsesTheCsvAndRefusesALineOfAnotherShape() {
        assertEquals(List.of(new GpuMemory.Device(3, 5L << 20, 7L << 20)), GpuMemory.parse(" 3, 5, 7 \n\n"));
        assertEquals(List.of(), GpuMemory.parse("0, 1\n"));
    }

    @Test
    void aDeviceThatVanishesReadsNaNNotItsLastValue() throws Exception {
        AtomicReference<String> answer = new AtomicReference<>("0, 10, 20\n");
        GpuMemory gpu = new GpuMemory(answer::get, 0);
        gpu.bindTo(registry);
        answer.set(null);
        assertTrue(Double.isNaN(new Scrape(registry.scrape()).value(GpuMemory.USED, "gpu=\"0\"")));
    }
}
