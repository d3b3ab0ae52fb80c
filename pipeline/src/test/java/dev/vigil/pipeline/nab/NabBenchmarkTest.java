package dev.vigil.pipeline.nab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Acceptance (2): normalised NAB scores with the threshold optimised over the subset. */
class NabBenchmarkTest {

    static Stream<Arguments> expectedScores() {
        return Stream.of(
                Arguments.of("numenta", NabProfile.STANDARD, 77.37),
                Arguments.of("numenta", NabProfile.REWARD_LOW_FP_RATE, 72.39),
                Arguments.of("numenta", NabProfile.REWARD_LOW_FN_RATE, 80.99),
                Arguments.of("windowedGaussian", NabProfile.STANDARD, 51.31),
                Arguments.of("windowedGaussian", NabProfile.REWARD_LOW_FP_RATE, 45.50),
                Arguments.of("windowedGaussian", NabProfile.REWARD_LOW_FN_RATE, 59.31));
    }

    @ParameterizedTest(name = "{0} / {1} = {2}")
    @MethodSource("expectedScores")
    void optimisedNormalisedScore(String detector, String profileName, double expected) {
        NabProfile profile = NabTestData.profiles().get(profileName);

        BenchmarkResult result =
                NabScorer.score(NabTestData.corpus(), NabTestData.goldenScores(detector), profile);

        assertThat(result.normalizedScore()).isCloseTo(expected, within(0.01));
        assertThat(result.files()).hasSize(24);
        assertThat(result.files().stream().mapToDouble(FileScore::score).sum())
                .isCloseTo(result.rawScore(), within(1e-12));
    }

    @Test
    void numentaStandardOptimumAndBaselines() {
        NabProfile standard = NabTestData.profiles().get(NabProfile.STANDARD);

        BenchmarkResult result =
                NabScorer.score(
                        NabTestData.corpus(), NabTestData.goldenScores("numenta"), standard);

        assertThat(result.threshold()).isEqualTo(0.543099145074);
        assertThat(result.rawScore()).isCloseTo(18.61254787098531, within(1e-9));
        assertThat(result.nullScore()).isEqualTo(-34.0);
        assertThat(result.perfectScore()).isEqualTo(34.0);
    }

    @Test
    void nullScoreCostsFnWeightPerWindow() {
        NabProfile lowFn = NabTestData.profiles().get(NabProfile.REWARD_LOW_FN_RATE);

        assertThat(NabScorer.nullScore(NabTestData.corpus(), lowFn)).isEqualTo(-68.0);
        assertThat(NabScorer.perfectScore(NabTestData.corpus(), lowFn)).isEqualTo(34.0);
    }
}
