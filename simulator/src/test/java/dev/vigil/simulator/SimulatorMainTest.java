package dev.vigil.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.common.model.Envelope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorMainTest {

    @Test
    void envelopeLinesRoundTripIncludingTheNulByte() {
        Envelope e = new Envelope("collectd/db-1/load/load", "1.000:0.5\0".getBytes(), 1234L);

        String line = EnvelopeJsonLines.toLine(e);

        assertThat(line)
                .isEqualTo(
                        "{\"topic\":\"collectd/db-1/load/load\",\"payload_b64\":\"MS4wMDA6MC41AA==\","
                                + "\"receivedAt\":1234}");
        assertThat(EnvelopeJsonLines.fromLine(line)).isEqualTo(e);
        assertThatThrownBy(() -> EnvelopeJsonLines.fromLine("{\"topic\":1}"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesTheRunAndItsGroundTruth(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run.jsonl");
        Path truth = dir.resolve("truth.csv");
        Path config = dir.resolve("fleet.yaml");
        Files.writeString(config, "duration: 30m\nsensors: 2\n");

        String summary =
                SimulatorMain.run(
                        new String[] {
                            "--out", out.toString(),
                            "--truth", truth.toString(),
                            "--config", config.toString(),
                            "--set", "seed=9"
                        });

        FleetConfig expected =
                FleetConfig.builder()
                        .duration(java.time.Duration.ofMinutes(30))
                        .sensors(2)
                        .seed(9)
                        .build();
        List<Envelope> written = EnvelopeJsonLines.read(out);
        assertThat(written).isEqualTo(FleetSimulator.generateAll(expected));
        assertThat(summary).startsWith("wrote " + written.size() + " envelopes");
        assertThat(GroundTruth.readCsv(truth))
                .isEqualTo(new FleetSimulator(expected).groundTruth());
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> SimulatorMain.run(new String[] {"--truth", "x.csv"}))
                .hasMessage("--out is required");
        assertThatThrownBy(() -> SimulatorMain.run(new String[] {"--out", "x", "--set", "seed"}))
                .hasMessageContaining("key=value");
        assertThatThrownBy(() -> SimulatorMain.run(new String[] {"--bogus", "1"}))
                .hasMessage("unknown option --bogus");
    }
}
