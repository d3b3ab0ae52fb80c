package dev.vigil.simulator.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.simulator.FleetConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateMainTest {

    @Test
    void readsTheFleetFileThenTheOverrides(@TempDir Path dir) throws Exception {
        Path fleet = dir.resolve("fleet.yaml");
        Files.writeString(fleet, "duration: 30m\nsensors: 2\nseed: 3\n");

        SimulateMain.Arguments a =
                SimulateMain.Arguments.parse(
                        new String[] {
                            "--config", fleet.toString(),
                            "--set", "seed=9",
                            "--mqtt", "tcp://127.0.0.1:1",
                            "--rate", "50",
                            "--truth", dir.resolve("t.csv").toString()
                        });

        FleetConfig config = a.fleetConfig();
        assertThat(config.duration()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.sensors()).isEqualTo(2);
        assertThat(config.seed()).isEqualTo(9);
        assertThat(a.mqttUrl).isEqualTo("tcp://127.0.0.1:1");
        assertThat(a.pacing()).isEqualTo("50.0 messages/s");
        assertThat(a.truth).isEqualTo(dir.resolve("t.csv"));
    }

    @Test
    void defaultsAndPacingChoices() {
        assertThat(SimulateMain.Arguments.parse(new String[0]).pacing())
                .isEqualTo("200.0 messages/s");
        assertThat(SimulateMain.Arguments.parse(new String[] {"--as-fast-as-possible"}).pacing())
                .isEqualTo("as fast as possible");
        assertThat(SimulateMain.Arguments.parse(new String[] {"--speed", "1"}).pacing())
                .isEqualTo("1.0x real time");
        assertThat(SimulateMain.Arguments.parse(new String[0]).mqttUrl)
                .isEqualTo("tcp://127.0.0.1:11883");
    }

    @Test
    void badCommandLinesAreRejectedWithTheReason() {
        assertThatThrownBy(
                        () ->
                                SimulateMain.Arguments.parse(
                                        new String[] {"--rate", "5", "--as-fast-as-possible"}))
                .hasMessageContaining("only one of");
        assertThatThrownBy(() -> SimulateMain.Arguments.parse(new String[] {"--rate", "fast"}))
                .hasMessageContaining("--rate expects a number");
        assertThatThrownBy(() -> SimulateMain.Arguments.parse(new String[] {"--speed", "0"}))
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> SimulateMain.Arguments.parse(new String[] {"--set", "x"}))
                .hasMessageContaining("key=value");
        assertThatThrownBy(() -> SimulateMain.Arguments.parse(new String[] {"--mqtt"}))
                .hasMessageContaining("missing value");
    }
}
