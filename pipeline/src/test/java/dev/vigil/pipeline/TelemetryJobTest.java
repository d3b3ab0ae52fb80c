package dev.vigil.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.config.VigilOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code flink run} entry point: argument handling, and a full run with the embedded simulator
 * source.
 */
class TelemetryJobTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path dir;

    @Test
    void readsConfigFileAndOverrides() throws Exception {
        Path file = dir.resolve("job.yaml");
        Files.writeString(file, "job.parallelism: 1\ndetector:\n  band-k: 4\n");
        VigilConfig config =
                TelemetryJob.configFrom(
                        new String[] {"--config", file.toString(), "--detector.band-k", "5"});
        assertThat(config.get(VigilOptions.PARALLELISM)).isEqualTo(1);
        assertThat(config.get(VigilOptions.BAND_K)).isEqualTo(5.0);
    }

    @Test
    void unknownSourceOrSinkIsExplained() {
        assertThatThrownBy(
                        () -> TelemetryJob.main(new String[] {"--source.type", "carrier-pigeon"}))
                .hasMessageContaining("Unknown source.type 'carrier-pigeon'");
        assertThatThrownBy(
                        () ->
                                TelemetryJob.sinks(
                                        TelemetryJob.configFrom(new String[] {"--sink.type", "x"})))
                .hasMessageContaining("use influxdb, stdout or discard");
    }

    @Test
    void runsOverTheSimulatedFleetWithCheckpointing() throws Exception {
        Path fleet = dir.resolve("fleet.yaml");
        Files.writeString(fleet, "duration: 20m\nsensors: 3\nservers: 2\ncollectd-servers: 1\n");
        TelemetryJob.main(
                new String[] {
                    "--source.simulator.config", fleet.toString(),
                    "--sink.type", "discard",
                    "--checkpoint.interval", "200 ms"
                });
    }
}
