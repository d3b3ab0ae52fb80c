package dev.vigil.demo.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.demo.Demo;
import dev.vigil.simulator.FleetConfig;
import dev.vigil.simulator.FleetSimulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./vigil demo} as users run it: the default fleet (one hour of it) published over MQTT to
 * the embedded broker, forwarded by the bridge to the embedded Kafka broker, read by the job's
 * Kafka source on a MiniCluster. Every message the simulator produced goes through the transport
 * and is parsed once, and the detection report meets the demo's thresholds.
 */
class EmbeddedDemoTest {

    @TempDir Path dir;

    @Test
    void defaultFleetThroughMqttBridgeAndKafkaIsDetected() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        // The default fleet and anomalies over half the default time: the run stays short.
        FleetConfig fleet =
                FleetConfig.defaults().toBuilder().duration(Duration.ofHours(1)).build();
        long generated = FleetSimulator.generateAll(fleet).size();
        Demo.Options options = new Demo.Options().parallelism(2).printEach(false).dataDir(dir);

        Demo.Outcome outcome;
        long published;
        try (Demo.Feed feed = Demo.feed("kafka", options, out)) {
            assertThat(feed).isInstanceOf(EmbeddedKafkaFeed.class);
            outcome = Demo.run(fleet, VigilConfig.defaults(), options, out, feed);
            published = ((EmbeddedKafkaFeed) feed).published();
        }

        assertThat(published).as("published over MQTT").isEqualTo(generated);
        assertThat(outcome.sent).as("forwarded by the bridge to Kafka").isEqualTo(generated);
        assertThat(outcome.counts.received).as("read by the job").isEqualTo(outcome.sent);
        assertThat(outcome.counts.accepted + outcome.counts.rejected).isEqualTo(outcome.sent);
        assertThat(outcome.counts.rejected)
                .isEqualTo(
                        outcome.rejectsByReason.values().stream().mapToInt(Integer::intValue).sum())
                .isPositive(); // the default fleet sends 0.5 % malformed messages
        assertThat(outcome.report.recall()).isGreaterThanOrEqualTo(0.9);
        assertThat(outcome.report.precision()).isGreaterThanOrEqualTo(0.8);

        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed)
                .contains(
                        "embedded services: MQTT tcp://127.0.0.1:",
                        "-> bridge -> Kafka 127.0.0.1:",
                        "==== summary ====",
                        "messages: " + generated + " sent, " + generated + " received",
                        "precision",
                        "recall");
    }
}
