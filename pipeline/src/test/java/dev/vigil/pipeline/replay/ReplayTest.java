package dev.vigil.pipeline.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.model.AnomalyKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./vigil replay} over a NAB-layout CSV: one score row per input row, same order, scores in
 * [0, 1].
 */
class ReplayTest {

    private static final DateTimeFormatter NAB = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @TempDir Path dir;

    @Test
    void csvGivesOneScoreRowPerInputRowInOrder() throws Exception {
        Path csv = dir.resolve("machine_temperature.csv");
        List<String> rows = new ArrayList<>();
        rows.add("timestamp,value");
        LocalDateTime t = LocalDateTime.parse("2014-04-01T00:00:00");
        for (int i = 0; i < 300; i++) {
            double v = 50 + Math.sin(i / 5.0) + (i == 200 ? 40 : 0);
            String value = i == 100 ? "nan" : String.format(Locale.ROOT, "%.3f", v);
            rows.add(NAB.format(t.plusMinutes(5L * i)) + "," + value);
        }
        Files.write(csv, rows);

        Replay.Result result = Replay.run(VigilConfig.defaults(), csv, ReplayFormat.guess(csv));
        Path scores = dir.resolve("out/scores.csv");
        Path anomalies = dir.resolve("out/anomalies.jsonl");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Replay.write(result, scores, anomalies, new PrintStream(log, true, StandardCharsets.UTF_8));

        List<String> out = Files.readAllLines(scores);
        assertThat(out.get(0)).isEqualTo("timestamp,value,anomaly_score");
        assertThat(out).hasSize(rows.size());
        for (int i = 1; i < rows.size(); i++) {
            String[] in = rows.get(i).split(",");
            String[] o = out.get(i).split(",");
            assertThat(o[0]).isEqualTo(in[0]);
            assertThat(o[1]).isEqualTo(in[1]);
            assertThat(Double.parseDouble(o[2])).isBetween(0.0, 1.0);
        }
        assertThat(Double.parseDouble(out.get(101).split(",")[2]))
                .as("rejected 'nan' row")
                .isZero();
        // Non-saturating: a huge spike scores close to, but below, 1, and highest in the file.
        double spike = Double.parseDouble(out.get(201).split(",")[2]);
        assertThat(spike).as("the spike").isGreaterThan(0.9).isLessThan(1.0);
        assertThat(out.subList(1, out.size()))
                .allSatisfy(
                        l ->
                                assertThat(Double.parseDouble(l.split(",")[2]))
                                        .isLessThanOrEqualTo(spike));
        assertThat(result.counts.received).isEqualTo(300);
        assertThat(result.counts.rejected).isEqualTo(1);
        assertThat(result.anomalies).extracting(a -> a.getKind()).contains(AnomalyKind.SPIKE);
        assertThat(Files.readAllLines(anomalies))
                .hasSize(result.anomalies.size())
                .allSatisfy(l -> assertThat(l).startsWith("{\"kind\":"));
        assertThat(log.toString(StandardCharsets.UTF_8))
                .contains("300 messages (299 accepted, 1 rejected)");
    }

    @Test
    void badInputFilesAreExplained() {
        assertThatThrownBy(() -> ReplayFormat.guess(Path.of("data.parquet")))
                .hasMessageContaining("--format csv|jsonl|lp");
        assertThatThrownBy(() -> ReplayInput.read(dir.resolve("missing.csv"), ReplayFormat.CSV))
                .hasMessageContaining("does not exist");
    }

    @Test
    void csvWithoutHeaderIsExplained() throws Exception {
        Path csv = dir.resolve("x.csv");
        Files.writeString(csv, "1,2\n");
        assertThatThrownBy(() -> ReplayInput.read(csv, ReplayFormat.CSV))
                .hasMessageContaining("expected a header line 'timestamp,value'");
    }
}
