package dev.vigil.pipeline.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.simulator.FleetConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./vigil demo} on the default fleet: what it prints, the line-protocol files it leaves for
 * {@code influx -import}, and how well it detects the injected anomalies.
 */
class DemoTest {

    @TempDir Path dir;

    @Test
    void defaultFleetIsDetectedWithHighPrecisionAndRecall() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        Demo.Outcome outcome =
                Demo.run(
                        FleetConfig.defaults(),
                        VigilConfig.defaults(),
                        new Demo.Options().parallelism(2).dataDir(dir),
                        out);

        assertThat(outcome.counts.received).isPositive();
        assertThat(outcome.counts.accepted + outcome.counts.rejected)
                .isEqualTo(outcome.counts.received);
        assertThat(outcome.counts.rejected)
                .isEqualTo(
                        outcome.rejectsByReason.values().stream().mapToInt(Integer::intValue).sum())
                .isPositive(); // the default fleet sends 0.5 % malformed messages
        assertThat(outcome.report.recall()).isGreaterThanOrEqualTo(0.9);
        assertThat(outcome.report.precision()).isGreaterThanOrEqualTo(0.8);

        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("==== summary ====", "precision", "recall", "influx -import");
        assertThat(printed.lines().filter(l -> l.contains("SPIKE") && l.contains("σ")))
                .isNotEmpty();

        assertThat(Files.readString(dir.resolve("anomalies-0.lp")))
                .startsWith("# DDL\nCREATE DATABASE vigil\n# DML\n# CONTEXT-DATABASE: vigil\n");
        assertThat(dataLines("anomalies")).isEqualTo(outcome.anomalies.size());
        assertThat(dataLines("raw")).as("one line per raw point").isEqualTo(outcome.counts.points);
        assertThat(dataLines("rejects")).isEqualTo(outcome.counts.rejected);
    }

    private long dataLines(String name) throws Exception {
        long lines = 0;
        for (int subtask = 0; subtask < 2; subtask++) {
            Path file = dir.resolve(name + "-" + subtask + ".lp");
            if (Files.exists(file)) {
                lines +=
                        Files.readAllLines(file).stream()
                                .filter(l -> !l.startsWith("#") && !l.startsWith("CREATE "))
                                .count();
            }
        }
        return lines;
    }
}
