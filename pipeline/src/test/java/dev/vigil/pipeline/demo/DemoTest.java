package dev.vigil.pipeline.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.simulator.FleetConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code ./vigil demo} on the default fleet: what it prints and how well it detects the injected
 * anomalies.
 */
class DemoTest {

    @Test
    void defaultFleetIsDetectedWithHighPrecisionAndRecall() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        Demo.Outcome outcome =
                Demo.run(FleetConfig.defaults(), VigilConfig.defaults(), 2, true, out);

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
        assertThat(printed).contains("==== summary ====", "precision", "recall");
        assertThat(printed.lines().filter(l -> l.contains("SPIKE") && l.contains("σ")))
                .isNotEmpty();
    }
}
