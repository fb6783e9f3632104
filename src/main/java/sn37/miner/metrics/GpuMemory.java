package sn37.miner.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * GPU memory per device, read from {@code nvidia-smi} (it sees the PyTorch trainer's processes too, which run outside
 * this JVM). Where {@code nvidia-smi} is absent or fails at start-up, nothing is registered: no series rather than a
 * made-up zero. Scrapes read it at most every 5 s.
 */
public final class GpuMemory implements MeterBinder {
    public static final String USED = "miner_gpu_memory_used_bytes";
    public static final String TOTAL = "miner_gpu_memory_total_bytes";
    static final String[] COMMAND = {"nvidia-smi", "--query-gpu=index,memory.used,memory.total",
            "--format=csv,noheader,nounits"};
    private static final long MIB = 1L << 20;

    /** One device: nvidia-smi's index, memory in bytes. */
    record Device(int index, long usedBytes, long totalBytes) {}

    private final Supplier<String> query;
    private final long maxAgeNanos;
    private List<Device> last = List.of();
    private long readAt;

    /** Reads {@code nvidia-smi} on the PATH. */
    public GpuMemory() {
        this(GpuMemory::runNvidiaSmi);
    }

    /** {@code query} returns nvidia-smi's CSV, or null when it cannot be read. */
    GpuMemory(Supplier<String> query) {
        this(query, TimeUnit.SECONDS.toNanos(5));
    }

    GpuMemory(Supplier<String> query, long maxAgeNanos) {
        this.query = query;
        this.maxAgeNanos = maxAgeNanos;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        List<Device> devices = parse(query.get());
        synchronized (this) {
            last = devices;
            readAt = System.nanoTime();
        }
        for (Device d : devices) {
            String gpu = Integer.toString(d.index());
            Gauge.builder("miner.gpu.memory.used", this, g -> g.device(d.index(), true)).baseUnit("bytes")
                    .description("GPU memory in use on the device (all processes), per nvidia-smi").tag("gpu", gpu)
                    .strongReference(true).register(registry);
            Gauge.builder("miner.gpu.memory.total", this, g -> g.device(d.index(), false)).baseUnit("bytes")
                    .description("GPU memory of the device, per nvidia-smi").tag("gpu", gpu)
                    .strongReference(true).register(registry);
        }
    }

    private double device(int index, boolean used) {
        List<Device> now;
        synchronized (this) {
            if (System.nanoTime() - readAt >= maxAgeNanos) {
                last = parse(query.get());
                readAt = System.nanoTime();
            }
            now = last;
        }
        for (Device d : now) {
            if (d.index() == index) return used ? d.usedBytes() : d.totalBytes();
        }
        return Double.NaN; // the device vanished (driver reset): no value rather than a stale one
    }

    /** nvidia-smi's {@code index, used MiB, total MiB} lines; an unreadable answer is no devices. */
    static List<Device> parse(String csv) {
        List<Device> out = new ArrayList<>();
        if (csv == null) return out;
        for (String line : csv.split("\n")) {
            if (line.isBlank()) continue;
            String[] f = line.split(",");
            if (f.length != 3) return List.of();
            try {
                out.add(new Device(Integer.parseInt(f[0].strip()), Long.parseLong(f[1].strip()) * MIB,
                        Long.parseLong(f[2].strip()) * MIB));
            } catch (NumberFormatException e) {
                return List.of(); // "[N/A]" or an error text: nothing trustworthy to show
            }
        }
        return out;
    }

    private static String runNvidiaSmi() {
        Process p;
        try {
            p = new ProcessBuilder(COMMAND).redirectErrorStream(true).start();
        } catch (IOException absent) {
            return null;
        }
        try (InputStream in = p.getInputStream()) {
            // a few lines per device: they fit the pipe's buffer, so waiting first cannot block nvidia-smi
            if (!p.waitFor(5, TimeUnit.SECONDS)) return null;
            byte[] out = in.readNBytes(64 * 1024);
            return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            p.destroyForcibly();
        }
    }
}
