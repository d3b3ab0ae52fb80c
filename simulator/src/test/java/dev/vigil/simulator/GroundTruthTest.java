package dev.vigil.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroundTruthTest {

    private static final GroundTruth TRUTH =
            new GroundTruth(
                    List.of(
                            new GroundTruth.Entry("system,host=web-1 load1", "SPIKE", 2000, 2000),
                            new GroundTruth.Entry(
                                    "environment,city=Mumbai,device=dev-mum-1,id=CITIMUM1 temperature",
                                    "FLATLINE",
                                    1000,
                                    1190),
                            new GroundTruth.Entry("odd \"quoted\" series", "SILENCE", 3000, 3590)));

    @Test
    void writesQuotedCsvOrderedByStart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("truth.csv");
        TRUTH.writeCsv(file);

        assertThat(Files.readString(file))
                .isEqualTo(
                        "series,kind,start,end\n"
                                + "\"environment,city=Mumbai,device=dev-mum-1,id=CITIMUM1 temperature\",FLATLINE,1000,1190\n"
                                + "\"system,host=web-1 load1\",SPIKE,2000,2000\n"
                                + "\"odd \"\"quoted\"\" series\",SILENCE,3000,3590\n");
    }

    @Test
    void readsBackWhatItWrote(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("truth.csv");
        TRUTH.writeCsv(file);

        GroundTruth read = GroundTruth.readCsv(file);

        assertThat(read).isEqualTo(TRUTH);
        assertThat(read.entries().get(2).getSeries()).isEqualTo("odd \"quoted\" series");
        assertThat(read.forSeries("system,host=web-1 load1")).hasSize(1);
        assertThat(read.entries().get(0).covers(1190)).isTrue();
        assertThat(read.entries().get(0).covers(1191)).isFalse();
    }

    @Test
    void roundTripsASimulatedRun(@TempDir Path dir) throws Exception {
        GroundTruth truth = new FleetSimulator(FleetConfig.defaults()).groundTruth();
        Path file = dir.resolve("truth.csv");
        truth.writeCsv(file);

        assertThat(GroundTruth.readCsv(file)).isEqualTo(truth);
        assertThat(Files.readAllLines(file)).hasSize(13);
    }

    @Test
    void rejectsBrokenLines() {
        assertThatThrownBy(() -> GroundTruth.fromCsv("series,kind,start,end\nfoo,SPIKE,1\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> GroundTruth.fromCsv("\"a,b\",SPIKE,x,2\n"))
                .hasMessageContaining("bad start/end");
    }
}
