package dev.vigil.pipeline.nab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NabCorpusTest {

    @Test
    void loadsTheSubsetWithItsWindows() {
        NabCorpus corpus = NabTestData.corpus();

        assertThat(corpus.size()).isEqualTo(24);
        assertThat(corpus.windowCount()).isEqualTo(34);
        NabFile speed = corpus.file("realTraffic/speed_6005.csv");
        assertThat(speed.size()).isEqualTo(2500);
        assertThat(speed.category()).isEqualTo("realTraffic");
        assertThat(speed.timestamp(0)).isEqualTo(LocalDateTime.of(2015, 8, 31, 18, 22));
        assertThat(speed.value(0)).isEqualTo(90.0);
        assertThat(speed.probationaryLength()).isEqualTo(375);
        assertThat(speed.windows()).hasSize(1);
        NabWindow w = speed.windows().get(0);
        assertThat(speed.timestamp(w.startIndex())).isEqualTo(w.start());
        assertThat(speed.timestamp(w.endIndex())).isEqualTo(w.end());
        assertThat(corpus.file("artificialNoAnomaly/art_flatline.csv").windows()).isEmpty();
    }

    @Test
    void loadsTheThreeProfiles() {
        Map<String, NabProfile> profiles = NabTestData.profiles();

        assertThat(profiles.keySet())
                .containsExactly(
                        NabProfile.STANDARD,
                        NabProfile.REWARD_LOW_FP_RATE,
                        NabProfile.REWARD_LOW_FN_RATE);
        assertThat(profiles.get(NabProfile.REWARD_LOW_FP_RATE))
                .isEqualTo(new NabProfile(NabProfile.REWARD_LOW_FP_RATE, 1.0, 0.22, 1.0, 1.0));
        assertThat(profiles.get(NabProfile.REWARD_LOW_FN_RATE).fnWeight()).isEqualTo(2.0);
    }

    @Test
    void windowLimitMustBeATimestampOfTheFile() throws Exception {
        List<LocalDateTime> timestamps =
                List.of(
                        LocalDateTime.of(2024, 1, 1, 0, 0),
                        LocalDateTime.of(2024, 1, 1, 0, 5),
                        LocalDateTime.of(2024, 1, 1, 0, 10));
        var ok =
                new ObjectMapper()
                        .readTree("[[\"2024-01-01 00:05:00.000000\", \"2024-01-01 00:10:00\"]]");
        var bad =
                new ObjectMapper()
                        .readTree("[[\"2024-01-01 00:05:00.000000\", \"2024-01-01 00:11:00\"]]");

        List<NabWindow> windows = NabCorpus.resolveWindows("x.csv", ok, timestamps);

        assertThat(windows)
                .containsExactly(new NabWindow(timestamps.get(1), timestamps.get(2), 1, 2));
        assertThatThrownBy(() -> NabCorpus.resolveWindows("x.csv", bad, timestamps))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x.csv")
                .hasMessageContaining("2024-01-01T00:11");
    }

    @Test
    void scoresMustCoverEveryRow() {
        NabFile file = NabTestData.corpus().file("realTraffic/speed_7578.csv");
        NabProfile standard = NabTestData.profiles().get(NabProfile.STANDARD);

        assertThatThrownBy(() -> NabScorer.scoreFile(file, new double[10], 0.5, standard))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10 anomaly scores for 1127 rows");
    }
}
