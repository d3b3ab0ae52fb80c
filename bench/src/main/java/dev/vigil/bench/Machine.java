package dev.vigil.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/** Facts about the machine and JVM a benchmark ran on; printed and stored with every result. */
public final class Machine {

    private Machine() {}

    /** cores, memory, JDK, OS, date and the current load average. */
    public static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("memory", memTotal());
        m.put("jdk", jdk());
        m.put("maxHeap", Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        m.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        return m;
    }

    /** One line for the console. */
    public static String summary() {
        return String.format(
                "machine: %d cores, %s RAM, %s, heap %d MiB, load average %s",
                Runtime.getRuntime().availableProcessors(),
                memTotal(),
                jdk(),
                Runtime.getRuntime().maxMemory() / (1024 * 1024),
                loadAverage());
    }

    public static String jdk() {
        return System.getProperty("java.vm.name")
                + " "
                + System.getProperty("java.runtime.version");
    }

    /** The first three fields of /proc/loadavg (1, 5, 15 minutes), or "n/a". */
    public static String loadAverage() {
        String line = readFirstLine(Path.of("/proc/loadavg"));
        if (line == null) {
            return "n/a";
        }
        String[] parts = line.trim().split("\\s+");
        return parts.length >= 3 ? parts[0] + " " + parts[1] + " " + parts[2] : line.trim();
    }

    /** MemTotal of /proc/meminfo in GiB, or "n/a". */
    public static String memTotal() {
        try {
            for (String line :
                    Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("MemTotal:")) {
                    long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format("%.1f GiB", kib / (1024.0 * 1024.0));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return "n/a";
        }
        return "n/a";
    }

    private static String readFirstLine(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .findFirst()
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }
}
