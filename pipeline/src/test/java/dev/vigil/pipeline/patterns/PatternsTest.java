package dev.vigil.pipeline.patterns;

import static dev.vigil.pipeline.patterns.Series.concat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.AnomalyKind;
import dev.vigil.pipeline.model.ScoredPoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The facade end to end on a MiniCluster: one job, three series, each misbehaving differently. */
class PatternsTest {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(1)
                            .build());

    @Test
    void eachInjectedBehaviourYieldsItsAnomalies() throws Exception {
        Series shift = Series.of("shift");
        List<ScoredPoint> shifted =
                concat(
                        normal(shift, 5),
                        shift.next(26.0, 26.2, 25.8, 26.1, 25.9, 26.0, 26.3, 25.7, 26.1, 25.9),
                        normal(shift, 25));
        Series stuck = Series.of("stuck");
        List<ScoredPoint> flat =
                concat(normal(stuck, 3), stuck.repeat(12, 21.0), normal(stuck, 25));
        Series gone = Series.of("gone");
        List<ScoredPoint> silent = normal(gone, 3);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        KeyedStream<ScoredPoint, Long> scored =
                env.fromData(byTime(shifted, flat, silent), TypeInformation.of(ScoredPoint.class))
                        .assignTimestampsAndWatermarks(watermarkPerPoint())
                        .keyBy(p -> p.getPoint().getSeriesId(), Types.LONG);
        DataStream<Anomaly> anomalies = Patterns.detect(scored, DetectionSettings.defaults());

        assertThat(uids(env))
                .contains("pattern-sustained-deviation", "pattern-level-shift", "pattern-flatline")
                .doesNotContain("pattern-silence"); // the scoring function detects SILENCE
        List<Anomaly> out = anomalies.executeAndCollect(1000);

        assertThat(out)
                .extracting(a -> a.getMeasurement() + "/" + a.getTags()[1] + " " + a.getKind())
                .containsExactlyInAnyOrder(
                        "room/shift " + AnomalyKind.SUSTAINED_DEVIATION,
                        "room/shift " + AnomalyKind.LEVEL_SHIFT,
                        "room/stuck " + AnomalyKind.FLATLINE); // "gone": not a pattern
        Anomaly level = only(out, AnomalyKind.LEVEL_SHIFT);
        assertThat(level.getStart()).isEqualTo(shifted.get(5).timestamp());
        assertThat(level.getEnd()).isEqualTo(shifted.get(12).timestamp());
        Anomaly sustained = only(out, AnomalyKind.SUSTAINED_DEVIATION);
        assertThat(sustained.getStart()).isEqualTo(shifted.get(5).timestamp());
        assertThat(sustained.getEnd()).isEqualTo(shifted.get(8).timestamp());
        Anomaly flatline = only(out, AnomalyKind.FLATLINE);
        assertThat(flatline.getStart()).isEqualTo(flat.get(3).timestamp());
        assertThat(flatline.getEnd()).isEqualTo(flat.get(12).timestamp());
    }

    /**
     * A watermark right behind every point, so that event time (the patterns' windows) does not
     * depend on how fast the bounded input is read.
     */
    private static WatermarkStrategy<ScoredPoint> watermarkPerPoint() {
        return WatermarkStrategy.<ScoredPoint>forGenerator(
                        ctx ->
                                new WatermarkGenerator<>() {
                                    @Override
                                    public void onEvent(
                                            ScoredPoint p, long ts, WatermarkOutput output) {
                                        output.emitWatermark(new Watermark(ts - 1));
                                    }

                                    @Override
                                    public void onPeriodicEmit(WatermarkOutput output) {}
                                })
                .withTimestampAssigner((p, previous) -> p.timestamp());
    }

    private static List<ScoredPoint> normal(Series s, int n) {
        List<ScoredPoint> points = new ArrayList<>();
        double[] cycle = {20.0, 20.5, 19.5};
        for (int i = 0; i < n; i++) {
            points.addAll(s.next(cycle[i % cycle.length]));
        }
        return points;
    }

    @SafeVarargs
    private static List<ScoredPoint> byTime(List<ScoredPoint>... series) {
        return concat(series).stream()
                .sorted(Comparator.comparingLong(ScoredPoint::timestamp))
                .collect(Collectors.toList());
    }

    private static List<String> uids(StreamExecutionEnvironment env) {
        return env.getStreamGraph(false).getStreamNodes().stream()
                .map(StreamNode::getTransformationUID)
                .collect(Collectors.toList());
    }

    private static Anomaly only(List<Anomaly> anomalies, AnomalyKind kind) {
        List<Anomaly> ofKind =
                anomalies.stream().filter(a -> a.getKind() == kind).collect(Collectors.toList());
        assertThat(ofKind).hasSize(1);
        return ofKind.get(0);
    }
}
