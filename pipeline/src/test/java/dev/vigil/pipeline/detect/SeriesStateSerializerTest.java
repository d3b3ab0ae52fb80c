package dev.vigil.pipeline.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.pipeline.config.DetectionSettings;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class SeriesStateSerializerTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final long STEP = 60_000L;
    private final SeriesStateSerializer serializer = new SeriesStateSerializer();

    @Test
    void everyFieldSurvivesARoundTripBitForBit() throws Exception {
        SeriesState state = populated();
        SeriesState back = roundTrip(state);
        assertThat(back).isEqualTo(state);
        assertThat(back.toString()).isEqualTo(state.toString());
        assertThat(serializer.copy(state)).isEqualTo(state).isNotSameAs(state);
    }

    @Test
    void aSeriesWithADayOfHistoryKeepsScoringIdenticallyAfterEachRoundTrip() throws Exception {
        DetectionSettings s = DetectionSettings.defaults();
        SeriesState direct = new SeriesState();
        SeriesState viaBytes = new SeriesState();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 2 * 24 * 60; i++) {
            long t = T0 + i * STEP;
            double v = 20.0 + 5.0 * Math.sin(i * 2 * Math.PI / 1440) + random.nextGaussian();
            Detection a = step(direct, v, t, s);
            viaBytes = roundTrip(viaBytes); // as RocksDB does on every access
            Detection b = step(viaBytes, v, t, s);
            assertThat(b).usingRecursiveComparison().isEqualTo(a);
        }
        assertThat(viaBytes).isEqualTo(direct);
    }

    @Test
    void sizesOfAYoungAndOfAFullDaySeries() throws Exception {
        DetectionSettings s = DetectionSettings.defaults();
        SeriesState young = new SeriesState();
        step(young, 19.0, T0, s);
        step(young, 21.0, T0 + 10_000, s);
        assertThat(bytes(young)).isEqualTo(178);

        SeriesState day = new SeriesState();
        for (int i = 0; i < 24 * 60; i++) {
            step(day, 20.0 + (i % 7), T0 + i * STEP, s);
        }
        assertThat(bytes(day)).isEqualTo(392);
    }

    @Test
    void snapshotRestoresACompatibleSerializer() throws Exception {
        TypeSerializerSnapshot<SeriesState> snapshot = serializer.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        TypeSerializerSnapshot<SeriesState> read =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        getClass().getClassLoader());
        TypeSerializer<SeriesState> restored = read.restoreSerializer();
        assertThat(restored).isEqualTo(serializer);
        TypeSerializerSchemaCompatibility<SeriesState> compatibility =
                serializer.snapshotConfiguration().resolveSchemaCompatibility(read);
        assertThat(compatibility.isCompatibleAsIs()).isTrue();
    }

    private static Detection step(SeriesState state, double v, long t, DetectionSettings s) {
        Detection d = state.getDetector().observe(v, t, s);
        state.getStats().update(v, t, s);
        state.setLastSeenMs(t + 250);
        return d;
    }

    /** Every field set to a distinct, non-default value. */
    private static SeriesState populated() {
        RunningStats st = new RunningStats();
        st.setCount(123_456);
        st.setReference(1e9 + 0.1);
        st.setMeanOffset(-0.25);
        st.setBaselinePoints(999);
        st.setVariance(2.5);
        st.setMin(-3.0);
        st.setMax(7.5);
        st.setLastValue(4.25);
        st.setLastTimestamp(T0);
        st.setTypicalIntervalMs(10_000.5);
        st.setGapCount(123_455);
        st.setRepeatCount(3);
        st.setRepeatStart(T0 - 20_000);
        st.setShiftSide(-1);
        st.setShiftCount(4);
        st.setShiftReference(-2.0);
        st.setShiftSum(-1.5);
        st.setShiftSumSquares(0.75);
        st.setLastOutsideBand(true);
        SeriesDetector d = new SeriesDetector();
        d.setCount(123_450);
        d.setFirstTimestamp(T0 - 86_400_000L * 30);
        d.setReference(1e9);
        d.setLevelOffset(0.3);
        d.setLevelDev(0.8);
        d.setResidualSquare(1.1);
        d.setLastValue(-0.0);
        d.setLastResidual(-0.4);
        for (int h = 0; h < SeriesDetector.HOURS; h++) {
            d.getHourMean()[h] = h * 0.5f - 3;
            d.getHourDev()[h] = 0.1f * (h + 1);
            d.getHourCount()[h] = (byte) (h * 5);
        }
        d.setSeasonalDev(0.7);
        d.setSeasonalCount(100_000);
        d.setCusumUp(1.5);
        d.setCusumDown(Double.NaN);
        d.setCusumUpRun(6);
        d.setCusumDownRun(Integer.MAX_VALUE);
        d.setPeak(0.9);
        float[] events = d.getCalibration().getEvents();
        for (int k = 0; k < events.length; k += 2) {
            events[k] = 0.5f * k + 0.25f;
        }
        d.getCalibration().setPreviousLevel((byte) 7);
        d.getCalibration().setPoints(1999.5);
        d.getLikelihood().setRecentEvents(0b1011);
        d.getLikelihood().setCount(4321);
        d.getLikelihood().setMean(0.03);
        d.getLikelihood().setVariance(0.0003);
        SeriesState state = new SeriesState();
        state.setStats(st);
        state.setDetector(d);
        state.setRunStartVaried(true);
        state.setLastSeenMs(T0 + 1234);
        return state;
    }

    private SeriesState roundTrip(SeriesState state) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(512);
        serializer.serialize(state, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        SeriesState back = serializer.deserialize(in);
        assertThat(in.available()).isZero();
        return back;
    }

    private int bytes(SeriesState state) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(512);
        serializer.serialize(state, out);
        return out.length();
    }
}
