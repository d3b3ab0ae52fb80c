package dev.vigil.pipeline.nab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Acceptance (3): hand-made checks of the sigmoid, probation and a tiny one-window file. */
class NabSweeperTest {

    private static final NabProfile STANDARD = new NabProfile("standard", 1.0, 0.11, 1.0, 1.0);
    private static final LocalDateTime T0 = LocalDateTime.of(2024, 1, 1, 0, 0);

    @Test
    void scaledSigmoidMatchesNab() {
        assertThat(NabSweeper.scaledSigmoid(-1.0)).isEqualTo(0.9866142981514305);
        assertThat(NabSweeper.scaledSigmoid(-0.5)).isEqualTo(0.8482836399575131);
        assertThat(NabSweeper.scaledSigmoid(0.0)).isEqualTo(0.0);
        assertThat(NabSweeper.scaledSigmoid(1.0)).isEqualTo(-0.9866142981514303);
        assertThat(NabSweeper.scaledSigmoid(3.0)).isEqualTo(-0.9999993881955461);
        assertThat(NabSweeper.scaledSigmoid(3.0000001)).isEqualTo(-1.0);
    }

    @Test
    void probationIsFifteenPercentCappedAt750Rows() {
        assertThat(NabSweeper.probationaryLength(20)).isEqualTo(3);
        assertThat(NabSweeper.probationaryLength(100)).isEqualTo(15);
        assertThat(NabSweeper.probationaryLength(4032)).isEqualTo(604);
        assertThat(NabSweeper.probationaryLength(5000)).isEqualTo(750);
        assertThat(NabSweeper.probationaryLength(22695)).isEqualTo(750);
    }

    @Test
    void tinyFileScoresEarliestDetectionAndFalsePositives() {
        // 20 rows, probation rows 0-2, window rows 10-14 (width 5).
        NabFile file = file(20, 10, 14);
        double[] scores = new double[20];
        scores[1] = 0.9; // in probation: ignored
        scores[5] = 0.9; // FP before any window: -fpWeight
        scores[12] = 0.9; // earliest TP: position -3/5 → sigmoid(-0.6)/sigmoid(-1)
        scores[13] = 0.9; // later TP in the same window: no extra credit
        scores[17] = 0.9; // FP 3 rows after the window end: position 3/4

        FileScore s = NabScorer.scoreFile(file, scores, 0.5, STANDARD);

        double tp = NabSweeper.scaledSigmoid(-0.6) / NabSweeper.scaledSigmoid(-1.0);
        assertThat(tp).isCloseTo(0.9174286804284079, within(1e-15));
        double fpAfter = NabSweeper.scaledSigmoid(0.75) * 0.11;
        assertThat(fpAfter).isCloseTo(-0.10494497861979436, within(1e-15));
        assertThat(s.score()).isCloseTo(0.7024837018086135, within(1e-12));
        assertThat(new int[] {s.tp(), s.tn(), s.fp(), s.fn(), s.totalCount()})
                .containsExactly(2, 10, 2, 3, 20);
        assertThat(s.windows()).isEqualTo(1);
        assertThat(s.detectedWindows()).isEqualTo(1);
    }

    @Test
    void missedWindowCostsFnWeightAndDetectionAtWindowStartEarnsTpWeight() {
        NabFile file = file(20, 10, 14);
        double[] none = new double[20];
        double[] atStart = new double[20];
        atStart[10] = 1.0;

        assertThat(NabScorer.scoreFile(file, none, 0.5, STANDARD).score()).isEqualTo(-1.0);
        assertThat(NabScorer.scoreFile(file, atStart, 0.5, STANDARD).score()).isEqualTo(1.0);
        assertThat(NabScorer.scoreFile(file, atStart, 1.0, STANDARD).score()).isEqualTo(1.0);
        assertThat(NabScorer.scoreFile(file, atStart, Math.nextUp(1.0), STANDARD).score())
                .isEqualTo(-1.0);
    }

    @Test
    void windowInsideProbationIsNotScored() {
        NabFile file = file(20, 0, 2);
        double[] scores = new double[20];
        scores[1] = 1.0;

        FileScore s = NabScorer.scoreFile(file, scores, 0.5, STANDARD);

        assertThat(s.score()).isEqualTo(0.0);
        assertThat(s.windows()).isZero();
        assertThat(s.tp()).isZero();
    }

    @Test
    void optimiserSweepsDistinctScoresAndPrefersTheHighestThresholdOnTies() {
        NabFile file = file(20, 10, 14);
        double[] scores = new double[20];
        scores[5] = 0.3; // FP: only detected at thresholds <= 0.3
        scores[11] = 0.6; // TP
        scores[12] = 0.8; // TP, later: same window, lower credit
        NabCorpus corpus = NabCorpus.of(List.of(file));

        ThresholdScore best =
                NabScorer.optimizeThreshold(corpus, Map.of(file.name(), scores), STANDARD);

        // 0.6 and every threshold down to just above 0.3 give the same score; NAB keeps 0.6.
        assertThat(best.threshold()).isEqualTo(0.6);
        assertThat(best.tp()).isEqualTo(2);
        double credit = NabSweeper.scaledSigmoid(-0.8) / NabSweeper.scaledSigmoid(-1.0);
        assertThat(best.score()).isCloseTo(credit, within(1e-15));
        BenchmarkResult result = NabScorer.score(corpus, Map.of(file.name(), scores), STANDARD);
        // NAB's null detector (constant 0.5) also gets its threshold optimised: in this tiny file
        // flagging every row (TP at the window start, 7 FPs before, 5 after) beats -1.
        double nullScore = 1.0 - 7 * 0.11;
        for (int k = 1; k <= 5; k++) {
            nullScore += NabSweeper.scaledSigmoid(k / 4.0) * 0.11;
        }
        assertThat(nullScore).isCloseTo(-0.24736583964427816, within(1e-15));
        assertThat(result.nullScore()).isCloseTo(nullScore, within(1e-15));
        assertThat(result.perfectScore()).isEqualTo(1.0);
        assertThat(result.normalizedScore())
                .isCloseTo(100 * (credit - nullScore) / (1.0 - nullScore), within(1e-12));
    }

    private static NabFile file(int rows, int windowStart, int windowEnd) {
        List<LocalDateTime> timestamps = new ArrayList<>();
        double[] values = new double[rows];
        for (int i = 0; i < rows; i++) {
            timestamps.add(T0.plusMinutes(5L * i));
            values[i] = i;
        }
        NabWindow window =
                new NabWindow(
                        timestamps.get(windowStart),
                        timestamps.get(windowEnd),
                        windowStart,
                        windowEnd);
        return new NabFile("test/tiny.csv", timestamps, values, List.of(window));
    }
}
