package dev.vigil.pipeline.nab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NabCommandTest {

    @Test
    void printsProfileAndFileTablesForTheRecordedNumentaDetector() {
        Path root = NabTestData.root();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

        int exit =
                NabCommand.run(
                        root,
                        null,
                        null,
                        NabCommand.recordedDetector(NabTestData.goldenDir("numenta"), "numenta"),
                        out);

        String text = buffer.toString(StandardCharsets.UTF_8);
        assertThat(exit).isZero();
        assertThat(text).contains("NAB: 24 files, 34 windows, 3 profiles");
        assertThat(text)
                .containsPattern("standard +0\\.543099 +18\\.6125 +-34\\.0000 +34\\.0000 +77\\.37")
                .containsPattern("reward_low_FP_rate .* 72\\.39\\R")
                .containsPattern("reward_low_FN_rate .* 80\\.99\\R");
        assertThat(text)
                .contains("Profile standard, threshold 0.543099")
                .containsPattern(
                        "realTraffic/speed_7578\\.csv +3\\.1957 +4/4 +5 +3 +111 +839 +1127")
                .containsPattern("Total +18\\.6125");
        assertThat(text.lines().filter(l -> l.matches("Profile \\S+, threshold .*")).count())
                .isEqualTo(3);
    }
}
