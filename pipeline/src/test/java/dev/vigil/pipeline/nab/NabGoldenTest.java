package dev.vigil.pipeline.nab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Acceptance (1): NAB's published per-file raw scores at the published thresholds. */
class NabGoldenTest {

    static Stream<Arguments> detectorsAndProfiles() {
        return NabTestData.DETECTORS.stream()
                .flatMap(
                        d ->
                                Stream.of(
                                                NabProfile.STANDARD,
                                                NabProfile.REWARD_LOW_FP_RATE,
                                                NabProfile.REWARD_LOW_FN_RATE)
                                        .map(p -> Arguments.of(d, p)));
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("detectorsAndProfiles")
    void reproducesPublishedPerFileScores(String detector, String profileName) {
        NabCorpus corpus = NabTestData.corpus();
        NabProfile profile = NabTestData.profiles().get(profileName);
        double threshold = NabTestData.publishedThreshold(detector, profileName);
        Map<String, double[]> scores = NabTestData.goldenScores(detector);
        Path goldenCsv =
                NabTestData.goldenDir(detector)
                        .resolve(detector + "_" + profileName + "_scores.csv");
        NabCsv golden = NabCsv.read(goldenCsv);
        List<String> files = golden.strings("File");

        assertThat(files).hasSize(24).containsExactlyInAnyOrderElementsOf(names(corpus));
        double[] expectedScore = golden.doubles("Score");
        double[] tp = golden.doubles("TP");
        double[] tn = golden.doubles("TN");
        double[] fp = golden.doubles("FP");
        double[] fn = golden.doubles("FN");
        double[] total = golden.doubles("Total_Count");
        for (int i = 0; i < files.size(); i++) {
            NabFile file = corpus.file(files.get(i));
            FileScore actual =
                    NabScorer.scoreFile(file, scores.get(file.name()), threshold, profile);
            assertThat(actual.score()).as(file.name()).isCloseTo(expectedScore[i], within(1e-6));
            assertThat(new int[] {actual.tp(), actual.tn(), actual.fp(), actual.fn()})
                    .as(file.name() + " TP,TN,FP,FN")
                    .containsExactly((int) tp[i], (int) tn[i], (int) fp[i], (int) fn[i]);
            assertThat(actual.totalCount()).as(file.name()).isEqualTo((int) total[i]);
        }
    }

    private static List<String> names(NabCorpus corpus) {
        return corpus.files().stream().map(NabFile::name).toList();
    }
}
