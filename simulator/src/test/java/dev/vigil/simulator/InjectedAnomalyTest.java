package dev.vigil.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.model.Envelope;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ground truth against what was actually sent, decoded with the reference decoder. */
class InjectedAnomalyTest {

    private static final long TICK_MS = 10_000L;

    private static final class Run {
        final FleetSimulator simulator;
        final Map<String, TreeMap<Long, Double>> series;

        Run(FleetConfig config) {
            simulator = new FleetSimulator(config);
            List<Envelope> all = new ArrayList<>();
            simulator.forEachRemaining(all::add);
            long[] rejected = {0};
            series = FleetSimulatorTest.bySeries(TestDecoder.decodeAll(all.iterator(), rejected));
        }

        long start() {
            return simulator.config().start().toEpochMilli();
        }

        int tick(long t) {
            return (int) ((t - start()) / TICK_MS);
        }

        SeriesModel model(GroundTruth.Entry e) {
            return simulator.fleet().series(e.getSeries());
        }
    }

    @Test
    void defaultPlanHasTwoOfEachKindOnDistinctSeriesAfterTheWarmUp() {
        Run run = new Run(FleetConfig.defaults());
        GroundTruth truth = run.simulator.groundTruth();
        long warmupEnd = run.start() + 60 * TICK_MS;
        long lastTick = run.start() + 719 * TICK_MS;

        assertThat(truth.entries()).hasSize(12);
        for (String kind : List.of("SPIKE", "SUSTAINED_DEVIATION", "LEVEL_SHIFT", "FLATLINE")) {
            assertThat(truth.ofKind(kind)).hasSize(2);
        }
        assertThat(truth.ofKind("SILENCE")).hasSize(4); // 2 sensors × 2 series
        assertThat(truth.ofKind("DRIFT")).isEmpty();
        Set<String> seen = new HashSet<>();
        for (GroundTruth.Entry e : truth.entries()) {
            assertThat(seen.add(e.getSeries())).as("one anomaly per series: %s", e).isTrue();
            assertThat(e.getStart()).isBetween(warmupEnd, lastTick);
            assertThat(e.getEnd()).isBetween(e.getStart(), lastTick);
            assertThat((e.getStart() - run.start()) % TICK_MS).isZero();
            assertThat(run.model(e)).as("series of %s is in the fleet", e).isNotNull();
        }
        List<Long> starts =
                truth.entries().stream().map(GroundTruth.Entry::getStart).distinct().toList();
        assertThat(starts).hasSize(10); // spread: every anomaly has its own start time
    }

    @ParameterizedTest
    @ValueSource(longs = {42, 1, 2, 3})
    void sentValuesMatchTheGroundTruth(long seed) {
        Run run =
                new Run(FleetConfig.builder().seed(seed).anomalies(InjectionKind.DRIFT, 1).build());

        assertThat(run.simulator.groundTruth().ofKind("DRIFT")).hasSize(1);
        for (GroundTruth.Entry e : run.simulator.groundTruth().entries()) {
            SeriesModel model = run.model(e);
            TreeMap<Long, Double> sent = run.series.get(e.getSeries());
            double sigma = model.anomalySigma();
            int first = run.tick(e.getStart());
            int last = run.tick(e.getEnd());
            switch (e.getKind()) {
                case "SPIKE" -> {
                    assertThat(last).isEqualTo(first);
                    assertThat(sent.get(e.getStart()) - model.cleanValue(first))
                            .isGreaterThanOrEqualTo(10 * sigma)
                            .isGreaterThanOrEqualTo(10 * model.noiseSigma());
                    assertCleanAt(run, e, first - 1);
                    assertCleanAt(run, e, first + 1);
                }
                case "SUSTAINED_DEVIATION" -> {
                    assertThat(last - first + 1).isEqualTo(6);
                    for (int t = first; t <= last; t++) {
                        assertThat(sent.get(run.start() + t * TICK_MS) - model.cleanValue(t))
                                .isCloseTo(
                                        5 * sigma,
                                        org.assertj.core.data.Offset.offset(slack(model)));
                    }
                    assertCleanAt(run, e, last + 1);
                }
                case "LEVEL_SHIFT" -> {
                    assertThat(last).isEqualTo(719);
                    for (int t = first; t <= last; t++) {
                        assertThat(sent.get(run.start() + t * TICK_MS) - model.cleanValue(t))
                                .isGreaterThanOrEqualTo(15 * sigma - slack(model));
                    }
                    assertCleanAt(run, e, first - 1);
                }
                case "FLATLINE" -> {
                    assertThat(last - first + 1).isEqualTo(20);
                    double stuck = sent.get(e.getStart());
                    assertThat(sent.subMap(e.getStart(), true, e.getEnd(), true).values())
                            .hasSize(20)
                            .containsOnly(stuck);
                    assertThat(stuck).isEqualTo(model.cleanValue(first));
                    assertCleanAt(run, e, last + 1);
                }
                case "SILENCE" -> {
                    assertThat(last - first + 1).isEqualTo(60);
                    assertThat(sent.subMap(e.getStart(), true, e.getEnd(), true)).isEmpty();
                    assertCleanAt(run, e, first - 1);
                    assertCleanAt(run, e, last + 1);
                }
                case "DRIFT" -> {
                    assertThat(last - first + 1).isEqualTo(60);
                    double atEnd = sent.get(e.getEnd()) - model.cleanValue(last);
                    assertThat(atEnd)
                            .isCloseTo(
                                    6 * sigma, org.assertj.core.data.Offset.offset(slack(model)));
                    assertCleanAt(run, e, last + 1);
                }
                default -> throw new AssertionError("unexpected kind " + e);
            }
        }
    }

    /** Both the clean and the injected value are rounded to the series' precision. */
    private static double slack(SeriesModel model) {
        return Math.pow(10, -model.decimals()) + 1e-9;
    }

    private static void assertCleanAt(Run run, GroundTruth.Entry e, int tick) {
        if (tick < 0 || tick >= run.simulator.config().totalTicks()) {
            return;
        }
        assertThat(run.series.get(e.getSeries()).get(run.start() + tick * TICK_MS))
                .as("clean value of %s at tick %d", e, tick)
                .isEqualTo(run.model(e).cleanValue(tick));
    }

    @ParameterizedTest
    @ValueSource(longs = {42, 1, 2, 3, 4})
    void injectedAnomaliesStandOutForTheReferenceDetector(long seed) {
        Run run = new Run(FleetConfig.builder().seed(seed).build());

        for (GroundTruth.Entry e : run.simulator.groundTruth().entries()) {
            TreeMap<Long, Double> sent = run.series.get(e.getSeries());
            ReferenceEwma ewma = ReferenceEwma.detectorDefaults();
            int beyondBand = 0;
            int points = 0;
            double spikeZ = Double.NaN;
            for (Map.Entry<Long, Double> p : sent.entrySet()) {
                double z = ewma.score(p.getValue());
                if (e.covers(p.getKey())) {
                    spikeZ = z;
                    points++;
                    beyondBand += z > 3 ? 1 : 0;
                }
            }
            switch (e.getKind()) {
                case "SPIKE" ->
                        assertThat(spikeZ).as("%s", e).isGreaterThan(ReferenceEwma.Z_EPSILON_1E4);
                case "SUSTAINED_DEVIATION" ->
                        assertThat(beyondBand).as("%s", e).isGreaterThanOrEqualTo(4);
                case "LEVEL_SHIFT" -> assertThat(beyondBand).as("%s", e).isGreaterThanOrEqualTo(8);
                case "FLATLINE", "SILENCE" -> assertThat(points).isIn(0, 20);
                default -> throw new AssertionError("unexpected kind " + e);
            }
        }
    }
}
