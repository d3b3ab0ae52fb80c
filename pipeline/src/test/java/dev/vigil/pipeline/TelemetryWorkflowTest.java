package dev.vigil.pipeline;

import static dev.vigil.pipeline.testutils.Scenario.ONSET;
import static dev.vigil.pipeline.testutils.Scenario.time;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.model.Reject;
import dev.vigil.common.model.RejectReason;
import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.local.CollectingListener;
import dev.vigil.pipeline.local.LocalRun;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.AnomalyKind;
import dev.vigil.pipeline.model.ScoredPoint;
import dev.vigil.pipeline.testutils.Scenario;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole job graph on a MiniCluster over deterministic telemetry with injected behaviour:
 * asserts exactly which anomalies come out (kind, series, time) and that clean series produce none.
 */
class TelemetryWorkflowTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final long TOLERANCE_MS = 2 * Scenario.INTERVAL_MS;

    private static List<Anomaly> anomalies;
    private static List<Reject> rejects;
    private static List<ScoredPoint> scored;
    private static List<MetricPoint> late;
    private static LocalRun.Counts counts;
    private static int sent;

    @BeforeAll
    static void runScenario() throws Exception {
        Scenario s = scenario();
        sent = s.envelopes().size();

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        CollectingListener out = new CollectingListener();
        counts = LocalRun.run(env, VigilConfig.defaults(), s.envelopes(), true, out);
        anomalies = out.sortedAnomalies();
        rejects = out.rejects;
        scored = out.scored;
        late = out.late;
    }

    /**
     * Clean series, one series per injected behaviour, garbage and a late point (also run by {@link
     * ObjectReuseWorkflowTest}).
     */
    static Scenario scenario() {
        Scenario s = new Scenario();
        s.sensor("clean-1", "Mumbai", s.noisy(20))
                .sensor("clean-2", "Delhi", s.noisy(30))
                .server("clean-3", s.noisy(50))
                .sensor("spiky", "Chennai", withSpike(s.noisy(25)))
                .server("shifted", withLevelShift(s.noisy(40)))
                .sensor("stuck", "Kolkata", withFlatline(s.noisy(22)))
                .server("sustained", withSustainedDeviation(s.noisy(60)))
                .sensor("quiet", "Pune", withSilence(s.noisy(18)))
                .host(
                        "busy",
                        "cpu usage_user",
                        withBump(s.noisy(35)),
                        "system load1",
                        withBump(s.noisy(15)),
                        "mem used_percent",
                        withBump(s.noisy(55)),
                        "disk used",
                        s.noisy(70))
                .garbage("sensors/bad/telemetry", "{\"temperature\": 20.1", 50)
                .garbage("telegraf/bad", "cpu,host=bad usage_user=", 60)
                .garbage("nowhere/else", "{\"temperature\": 1}", 70)
                .garbage("sensors/bad/telemetry", "", 80)
                .envelope(
                        "sensors/clean-1/telemetry",
                        "{\"id\":\"clean-1\",\"temperature\":20.5,\"timestamp\":"
                                + time(250)
                                + ",\"city\":\"Mumbai\"}",
                        time(300) + 500); // 50 points behind the watermark: late
        return s;
    }

    // ------------------------------------------------------------------ injected behaviour

    private static IntToDoubleFunction withSpike(IntToDoubleFunction base) {
        return i -> i == ONSET ? base.applyAsDouble(i) + 15 : base.applyAsDouble(i);
    }

    /** +4σ for one point: improbable together with the others, not a SPIKE alone. */
    private static IntToDoubleFunction withBump(IntToDoubleFunction base) {
        return i -> i == ONSET ? base.applyAsDouble(i) + 4.0 : base.applyAsDouble(i);
    }

    private static IntToDoubleFunction withLevelShift(IntToDoubleFunction base) {
        return i -> i >= ONSET ? base.applyAsDouble(i) + 12 : base.applyAsDouble(i);
    }

    private static IntToDoubleFunction withFlatline(IntToDoubleFunction base) {
        return i ->
                i >= ONSET && i < ONSET + 20
                        ? base.applyAsDouble(ONSET - 1)
                        : base.applyAsDouble(i);
    }

    private static IntToDoubleFunction withSustainedDeviation(IntToDoubleFunction base) {
        return i -> i >= ONSET && i < ONSET + 6 ? base.applyAsDouble(i) + 5 : base.applyAsDouble(i);
    }

    private static IntToDoubleFunction withSilence(IntToDoubleFunction base) {
        return i -> i >= ONSET && i < ONSET + 100 ? Double.NaN : base.applyAsDouble(i);
    }

    // ------------------------------------------------------------------ assertions

    @Test
    void everyMessageIsAcceptedOrRejectedAndLatePointsAreSetAside() {
        assertThat(counts.received).isEqualTo(sent);
        assertThat(counts.accepted + counts.rejected).isEqualTo(counts.received);
        assertThat(counts.rejected).isEqualTo(4);
        assertThat(rejects)
                .extracting(Reject::getReason)
                .containsExactlyInAnyOrder(
                        RejectReason.MALFORMED,
                        RejectReason.MALFORMED,
                        RejectReason.UNKNOWN_TOPIC,
                        RejectReason.EMPTY_PAYLOAD);
        assertThat(counts.points).as("one value per message").isEqualTo(counts.accepted);
        assertThat(scored).hasSize((int) counts.points - 1);
        assertThat(late).hasSize(1);
        assertThat(late.get(0).getTimestamp()).isEqualTo(time(250));
        assertThat(late.get(0).getValue()).isEqualTo(20.5);
    }

    @Test
    void cleanSeriesProduceNoAnomaly() {
        assertThat(anomaliesOf("clean-")).isEmpty();
    }

    @Test
    void spikeIsOneSpike() {
        assertKinds("spiky", AnomalyKind.SPIKE);
        assertStart("spiky", AnomalyKind.SPIKE, time(ONSET));
    }

    @Test
    void levelShiftIsReportedOnceAndTheBaselineFollows() {
        assertKinds(
                "shifted",
                AnomalyKind.SPIKE,
                AnomalyKind.SUSTAINED_DEVIATION,
                AnomalyKind.LEVEL_SHIFT);
        assertStart("shifted", AnomalyKind.LEVEL_SHIFT, time(ONSET));
    }

    @Test
    void flatlineIsReportedOnce() {
        assertKinds("stuck", AnomalyKind.FLATLINE);
        Anomaly flatline = only("stuck", AnomalyKind.FLATLINE);
        assertThat(flatline.getStart())
                .isBetween(time(ONSET - 1) - TOLERANCE_MS, time(ONSET) + TOLERANCE_MS);
    }

    @Test
    void sustainedDeviationIsReported() {
        assertKinds("sustained", AnomalyKind.SPIKE, AnomalyKind.SUSTAINED_DEVIATION);
        assertStart("sustained", AnomalyKind.SUSTAINED_DEVIATION, time(ONSET));
    }

    @Test
    void silenceIsReportedOnceAfterTheGap() {
        assertKinds("quiet", AnomalyKind.SILENCE);
        Anomaly silence = only("quiet", AnomalyKind.SILENCE);
        assertThat(silence.getStart()).isEqualTo(time(ONSET - 1));
        assertThat(silence.getEnd()).isEqualTo(time(ONSET - 1) + 5 * 60_000);
    }

    /**
     * Three of busy's four metrics rise by 4σ at the same point: no series alone is a SPIKE (p ≈
     * 1e-5 &gt; epsilon), together they are one DEVICE anomaly. The single-metric devices above
     * yield no DEVICE (fewer than 2 metrics). No POPULATION either: the only population with 5
     * members (the sensors' temperature) compares the latest value of each slice, and spiky's
     * one-point spike is not the latest of its slice; the others all differ from the start.
     */
    @Test
    void metricsOfOneHostDeviatingTogetherAreOneDeviceAnomaly() {
        assertKinds("busy", AnomalyKind.DEVICE);
        Anomaly device = only("busy", AnomalyKind.DEVICE);
        assertThat(device.getStart()).isEqualTo(time(ONSET));
        assertThat(device.getField())
                .as("the most deviating of the bumped metrics")
                .isIn("usage_user", "load1", "used_percent");
        assertThat(device.getDescription())
                .startsWith("busy acting unusual: 3 of 4 metrics deviate together (")
                .contains("usage_user z=", "load1 z=", "used_percent z=")
                .doesNotContain("used z=");
    }

    @Test
    void anomaliesCarrySeriesIdentityAndDescription() {
        Anomaly spike = only("spiky", AnomalyKind.SPIKE);
        assertThat(spike.getMeasurement()).isEqualTo("environment");
        assertThat(spike.getField()).isEqualTo("temperature");
        assertThat(spike.getTags())
                .containsExactly("city", "Chennai", "device", "spiky", "id", "spiky");
        assertThat(spike.getSeverity()).isBetween(75.0, 100.0);
        assertThat(spike.getObserved()).isGreaterThan(spike.getUpper());
        assertThat(spike.getDescription()).isNotBlank();
    }

    // ------------------------------------------------------------------ helpers

    private static List<Anomaly> anomaliesOf(String deviceOrHost) {
        return anomalies.stream()
                .filter(a -> a.seriesKey().contains("=" + deviceOrHost))
                .collect(Collectors.toList());
    }

    private static void assertKinds(String series, AnomalyKind... expected) {
        assertThat(anomaliesOf(series))
                .as("anomalies of %s: %s", series, anomaliesOf(series))
                .extracting(Anomaly::getKind)
                .containsExactlyInAnyOrder(expected);
    }

    private static Anomaly only(String series, AnomalyKind kind) {
        List<Anomaly> found =
                anomaliesOf(series).stream()
                        .filter(a -> a.getKind() == kind)
                        .collect(Collectors.toList());
        assertThat(found).as("%s anomalies of %s", kind, series).hasSize(1);
        return found.get(0);
    }

    private static void assertStart(String series, AnomalyKind kind, long expectedStart) {
        assertThat(only(series, kind).getStart())
                .isBetween(expectedStart - TOLERANCE_MS, expectedStart + TOLERANCE_MS);
    }
}
