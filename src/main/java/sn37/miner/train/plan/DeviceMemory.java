package sn37.miner.train.plan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/** How many bytes a training process may use: a GPU's memory, or a share of the host's available memory. */
public final class DeviceMemory {

    static final List<String> NVIDIA_SMI =
            List.of("nvidia-smi", "--query-gpu=memory.total", "--format=csv,noheader,nounits");
    /** nvidia-smi answers in well under a second; a hung driver must not hang the plan. */
    static final long TIMEOUT_SECONDS = 10;
    private static final int OUTPUT_CAP = 64 * 1024;

    private DeviceMemory() {
    }

    /** The first GPU's total memory, from nvidia-smi; empty when there is no nvidia-smi or it fails. */
    public static OptionalLong cuda() {
        return cuda(NVIDIA_SMI, TIMEOUT_SECONDS);
    }

    static OptionalLong cuda(List<String> command, long timeoutSeconds) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        try (InputStream out = process.getInputStream()) {
            process.getOutputStream().close();
            // Waits before reading: a hung nvidia-smi that keeps its pipe open must not block the read.
            // Its few lines fit in the pipe's buffer, so it never waits for a reader.
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return OptionalLong.empty();
            }
            return parseNvidiaSmi(new String(out.readNBytes(OUTPUT_CAP), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * {@code memory.total} in MiB, one line per GPU; the first GPU's, in bytes. Empty when the first line
     * is not a number (nvidia-smi prints "[N/A]" or an error text there).
     */
    static OptionalLong parseNvidiaSmi(String output) {
        String first = output.strip().lines().findFirst().orElse("").strip();
        if (!first.matches("[0-9]{1,9}")) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(first) << 20);
    }

    /** MemAvailable of /proc/meminfo divided among {@code processes}; empty where there is no /proc/meminfo. */
    public static OptionalLong cpu(int processes) {
        return cpu(Path.of("/proc/meminfo"), processes);
    }

    static OptionalLong cpu(Path meminfo, int processes) {
        if (processes < 1) {
            throw new IllegalArgumentException("processes must be >= 1, got " + processes);
        }
        String text;
        try {
            text = Files.readString(meminfo, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        OptionalLong available = parseMemAvailable(text);
        return available.isPresent() ? OptionalLong.of(available.getAsLong() / processes) : available;
    }

    /** "MemAvailable:   23456789 kB" in bytes. */
    static OptionalLong parseMemAvailable(String meminfo) {
        for (String line : meminfo.lines().toList()) {
            if (line.startsWith("MemAvailable:")) {
                String value = line.substring("MemAvailable:".length()).strip();
                return value.matches("[0-9]{1,15} kB")
                        ? OptionalLong.of(Long.parseLong(value.substring(0, value.length() - 3)) * 1024)
                        : OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }
}
