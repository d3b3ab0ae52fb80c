package dev.vigil.pipeline.fleet;

import static dev.vigil.pipeline.fleet.FleetPoints.scored;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.AnomalyKind;
import dev.vigil.pipeline.model.ScoredPoint;
import java.util.List;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Defaults: slices of 1 min, k = 5 (quiet within 2.5), 5 quiet slices, at least 5 members.
 * Population "cpu usage_user" of hosts h1..h6 at 20, 21, 22, 23, 24, 25 (median 22.5, MAD 1.5,
 * robust σ = 2.2239), one point per host per slice. With h3 at 60 instead: median 23.5, MAD 2,
 * robust σ 2.9652, h3 12.3 σ away.
 */
class PopulationFunctionTest {

    private static final DetectionSettings SETTINGS = DetectionSettings.defaults();
    private static final long MINUTE = 60_000L;
    private static final long T0 = 1_767_225_600_000L;
    private static final double[] LEVELS = {20, 21, 22, 23, 24, 25};

    private KeyedOneInputStreamOperatorTestHarness<String, SeriesSlice, Anomaly> harness;

    @BeforeEach
    void open() throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new PopulationFunction(SETTINGS)),
                        SeriesSlice::getPopulation,
                        Types.STRING);
        harness.open();
    }

    /**
     * Feeds one scored point, as a one-point slice summary (what per-point input amounts to), as
     * this detector's shuffle delivers it ({@link PopulationEdgeSerializer}).
     */
    private void process(ScoredPoint p, long ts) throws Exception {
        harness.processElement(
                FleetPoints.overTheWire(FleetPoints.single(p), PopulationEdgeSerializer.INSTANCE),
                ts);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    /**
     * Slice {@code index}: every host at its level, host {@code odd} (1-based) at {@code value}.
     */
    private void slice(int index, int hosts, int odd, double value) throws Exception {
        long ts = T0 + index * MINUTE + 30_000;
        for (int h = 1; h <= hosts; h++) {
            double v = h == odd ? value : LEVELS[h - 1];
            process(scored("h" + h, "cpu", "usage_user", ts, v, v, 1), ts);
        }
        harness.processWatermark(T0 + (index + 1) * MINUTE - 1);
    }

    private void calmSlices(int from, int count) throws Exception {
        for (int i = from; i < from + count; i++) {
            slice(i, 6, 0, 0);
        }
    }

    @Test
    void aDeviceThatSuddenlyLeavesTheFleetIsOnePopulationAnomaly() throws Exception {
        calmSlices(0, 5);
        assertThat(harness.extractOutputValues()).isEmpty();

        slice(5, 6, 3, 60.0);

        List<Anomaly> out = harness.extractOutputValues();
        assertThat(out).hasSize(1);
        Anomaly a = out.get(0);
        assertThat(a.getKind()).isEqualTo(AnomalyKind.POPULATION);
        assertThat(a.seriesKey()).isEqualTo("cpu,host=h3 usage_user");
        assertThat(a.getSeriesId()).isEqualTo(FleetPoints.seriesId("h3", "cpu", "usage_user"));
        assertThat(a.getStart()).isEqualTo(T0 + 5 * MINUTE + 30_000);
        assertThat(a.getEnd()).isEqualTo(a.getStart());
        assertThat(a.getObserved()).isEqualTo(60.0);
        assertThat(a.getExpected()).isEqualTo(23.5);
        assertThat(a.getLower()).isEqualTo(23.5 - 5 * Math.hypot(1.4826 * 2.0, 1.0));
        assertThat(a.getUpper()).isEqualTo(23.5 + 5 * Math.hypot(1.4826 * 2.0, 1.0));
        assertThat(a.getSeverity()).isEqualTo(100.0);
        assertThat(a.getDescription())
                .isEqualTo(
                        "h3 usage_user 60.0 is far from the fleet: 11.7 σ from the median 23.5 of 6"
                                + " devices (fleet σ = 1.4826·MAD = 3.0, own σ = 1.0)");
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void anOutlierIsReportedOncePerExcursion() throws Exception {
        calmSlices(0, 5);
        slice(5, 6, 3, 60.0);
        slice(6, 6, 3, 61.0);
        slice(7, 6, 3, 62.0);
        assertThat(harness.extractOutputValues()).hasSize(1);

        calmSlices(8, 4); // back, but not yet for 5 slices
        slice(12, 6, 3, 60.0);
        assertThat(harness.extractOutputValues()).hasSize(1);

        calmSlices(13, 5);
        slice(18, 6, 3, 60.0);
        assertThat(harness.extractOutputValues()).hasSize(2);
    }

    @Test
    void aDeviceThatAlwaysDiffersIsNeverFlagged() throws Exception {
        for (int i = 0; i < 12; i++) {
            slice(i, 6, 6, 60.0); // h6 in another climate from the start
        }
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void aSlowDriftThroughTheMiddleGroundIsNotNew() throws Exception {
        calmSlices(0, 5);
        slice(5, 6, 3, 35.0); // 11.5 / 3.1293 = 3.7 σ: between k/2 and k, no longer quiet
        slice(6, 6, 3, 60.0);
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void aMemberWithALargeOwnNoiseNeedsALargerDeviation() throws Exception {
        long base = T0;
        for (int i = 0; i < 7; i++) {
            long ts = base + i * MINUTE + 30_000;
            for (int h = 1; h <= 6; h++) {
                double v = h == 3 && i == 6 ? 40.0 : LEVELS[h - 1];
                // h3's own σ is 5: hypot(2.9652, 5) = 5.81, (40 − 23.5) / 5.81 = 2.8 σ
                double std = h == 3 ? 5 : 1;
                process(scored("h" + h, "cpu", "usage_user", ts, v, v, std), ts);
            }
            harness.processWatermark(base + (i + 1) * MINUTE - 1);
        }
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void smallPopulationsAreNotEvaluated() throws Exception {
        for (int i = 0; i < 5; i++) {
            slice(i, 4, 0, 0);
        }
        slice(5, 4, 3, 400.0);
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void silentMembersAreForgottenAndNothingIsLeftWithoutTimers() throws Exception {
        calmSlices(0, 2);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        // only h1..h5 report from now on; h6 is forgotten 10 slices after its last point
        for (int i = 2; i <= 10; i++) {
            slice(i, 5, 0, 0);
        }
        assertThat(memberCount()).isEqualTo(6);
        slice(11, 5, 0, 0);
        assertThat(memberCount()).isEqualTo(5);
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    private int memberCount() throws Exception {
        KeyedStateBackend<String> backend = harness.getOperator().getKeyedStateBackend();
        backend.setCurrentKey("cpu usage_user");
        MapState<Long, PopulationMember> members =
                backend.getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        new MapStateDescriptor<>(
                                PopulationFunction.MEMBERS_STATE,
                                Types.LONG,
                                TypeInformation.of(PopulationMember.class)));
        int n = 0;
        for (Long ignored : members.keys()) {
            n++;
        }
        return n;
    }
}
