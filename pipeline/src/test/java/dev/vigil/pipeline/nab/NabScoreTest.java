package dev.vigil.pipeline.nab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.pipeline.config.VigilConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Regression guard on detection quality: the whole NAB subset through the job graph (the replay
 * path, one bounded job) scored with every profile. Fails when a change makes detection worse than
 * what pipeline/DETECTION.md reports (80.53 / 76.23 / 84.08), with a margin of about 1 point.
 */
class NabScoreTest {

    @Test
    void jobScoresOnTheNabSubset() {
        NabCorpus corpus = NabTestData.corpus();
        NabReplayDetector detector =
                new NabReplayDetector(VigilConfig.defaults(), NabTestData.root(), null)
                        .prepare(corpus);

        List<BenchmarkResult> results =
                NabCommand.scoreAllProfiles(
                        corpus, NabCommand.detect(corpus, detector), NabTestData.profiles());

        Map<String, Double> byProfile =
                Map.of(
                        NabProfile.STANDARD, 79.5,
                        NabProfile.REWARD_LOW_FP_RATE, 75.2,
                        NabProfile.REWARD_LOW_FN_RATE, 83.0);
        assertThat(results).hasSize(3);
        for (BenchmarkResult r : results) {
            assertThat(r.normalizedScore())
                    .as(r.profile().name())
                    .isGreaterThanOrEqualTo(byProfile.get(r.profile().name()));
        }
    }
}
