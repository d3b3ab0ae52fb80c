package dev.vigil.pipeline.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.pipeline.config.DetectionSettings;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
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
    void aSeriesWithAWeeklyProfileKeepsScoringIdenticallyAfterEachRoundTrip() throws Exception {
        DetectionSettings s = DetectionSettings.defaults();
        SeriesState direct = new SeriesState();
        SeriesState viaBytes = new SeriesState();
        SplittableRandom random = new SplittableRandom(11);
        long fiveMinutes = 5 * STEP;
        int weekly = 0;
        for (int i = 0; i < 16 * 24 * 12; i++) {
            long t = T0 + i * fiveMinutes;
            int hourOfWeek = WeeklyProfile.hourOfWeek(t);
            boolean busy = hourOfWeek % 24 >= 8 && hourOfWeek % 24 < 16 && hourOfWeek / 24 % 3 == 0;
            double v = 20.0 + (busy ? 8.0 : 0.0) + random.nextGaussian();
            Detection a = step(direct, v, t, s);
            viaBytes = roundTrip(viaBytes);
            Detection b = step(viaBytes, v, t, s);
            // Cheaper than a recursive comparison; the states are compared in full at the end.
            assertThat(Double.doubleToRawLongBits(b.expected()))
                    .isEqualTo(Double.doubleToRawLongBits(a.expected()));
            assertThat(Double.doubleToRawLongBits(b.surprise()))
                    .isEqualTo(Double.doubleToRawLongBits(a.surprise()));
            weekly += a.baseline() == Detection.Baseline.WEEKLY ? 1 : 0;
        }
        assertThat(viaBytes).isEqualTo(direct);
        assertThat(weekly).isEqualTo(2 * 24 * 12);
    }

    @Test
    void sizesOfAYoungAFullDayAndAFullWeekSeries() throws Exception {
        DetectionSettings s = DetectionSettings.defaults();
        SeriesState young = new SeriesState();
        step(young, 19.0, T0, s);
        step(young, 21.0, T0 + 10_000, s);
        // SILENCE fields (since they moved into this state): flag byte, band 16, a 3-byte timer
        // delta and the typical interval before the second point (0, now 10 s) 8 = 28 bytes; a
        // regular series' interval is the baseline's (20 bytes; 21 with a 4-byte timer delta).
        assertThat(bytes(young)).isEqualTo(125 + 28);

        SeriesState day = new SeriesState();
        for (int i = 0; i < 24 * 60; i++) {
            step(day, 20.0 + (i % 7), T0 + i * STEP, s);
        }
        assertThat(bytes(day)).isEqualTo(364 + 20);

        // The hour-of-week profile appears after a week: 168 × (count byte + 2 floats) + its
        // pooled count (a 2-byte varint here) and deviation (a double); a flag bit says it is
        // there.
        SeriesState week = new SeriesState();
        long fiveMinutes = 5 * STEP;
        for (int i = 0; i < 8 * 24 * 12; i++) {
            step(week, 20.0 + (i % 7), T0 + i * fiveMinutes, s);
        }
        assertThat(roundTrip(week)).isEqualTo(week);
        assertThat(bytes(week)).isEqualTo(1895 + 21);
        WeeklyProfile profile = week.getDetector().getWeekly();
        week.getDetector().setWeekly(null);
        assertThat(bytes(week)).isEqualTo(1895 + 21 - 1_512 - 2 - 8);
        assertThat(profile.getPooledCount()).isEqualTo(288);
    }

    @Test
    void theSilenceFieldsSurviveARoundTripInEveryCombination() throws Exception {
        long[] timers = {
            SeriesState.NO_TIMER, T0 + 300_000, T0 - 1, Long.MAX_VALUE - 1, Long.MIN_VALUE
        };
        long[] latest = {T0, T0 + 5_000, Long.MIN_VALUE, Long.MAX_VALUE};
        double[] values = {4.25, -0.0, Double.NaN};
        double[] intervals = {10_000.5, 0.0, 9_999.25};
        double[] bands = {0.0, -0.0, -1.25, Double.NEGATIVE_INFINITY};
        int cases = 0;
        for (long timer : timers) {
            for (boolean silent : new boolean[] {false, true}) {
                for (long ts : latest) {
                    for (double value : values) {
                        for (double interval : intervals) {
                            for (double band : bands) {
                                SeriesState state = populated();
                                state.setTimer(timer);
                                state.setSilent(silent);
                                state.setLatestTimestamp(ts);
                                state.setLatestValue(value);
                                state.setLatestIntervalMs(interval);
                                state.setLatestLower(band);
                                state.setLatestUpper(-band);
                                assertThat(roundTrip(state)).isEqualTo(state);
                                cases++;
                            }
                        }
                    }
                }
            }
        }
        assertThat(cases).isEqualTo(5 * 2 * 4 * 3 * 3 * 4);
    }

    @Test
    void theNewestPointOfTheBaselineCostsOnlyItsBandAndTimer() throws Exception {
        SeriesState state = populated(); // stats: last point T0, 4.25, interval 10,000.5 ms
        state.setLatestTimestamp(T0);
        state.setLatestValue(4.25);
        state.setLatestIntervalMs(10_000.5);
        state.setTimer(SeriesState.NO_TIMER);
        state.setSilent(false);
        state.setLatestLower(0.0);
        state.setLatestUpper(0.0);
        int base = bytes(state); // flag byte only
        assertThat(roundTrip(state)).isEqualTo(state);

        state.setLatestLower(-1.25);
        state.setLatestUpper(9.75);
        assertThat(bytes(state)).isEqualTo(base + 16);
        state.setTimer(T0 + 300_000); // zig-zag varint of 300,000: 3 bytes
        assertThat(bytes(state)).isEqualTo(base + 16 + 3);
        assertThat(roundTrip(state)).isEqualTo(state);
        state.setLatestIntervalMs(10_000.0);
        assertThat(bytes(state)).isEqualTo(base + 16 + 3 + 8);
        state.setLatestTimestamp(T0 + 10_000); // zig-zag varint of -10,000: 3 bytes
        state.setLatestValue(4.5);
        assertThat(bytes(state)).isEqualTo(base + 16 + 3 + 8 + 3 + 8);
        assertThat(roundTrip(state)).isEqualTo(state);
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

    /**
     * The snapshot of 0.x rounds 4–5 ({@code SimpleTypeSerializerSnapshot}, version 3, no body)
     * restores the round-5 layout, which migrates to the current one.
     */
    @Test
    void aSnapshotOfRound5RestoresItsLayoutAndMigratesToTheCurrentOne() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeUTF(SeriesStateSerializer.Snapshot.class.getName()); // as Flink writes it
        out.writeInt(3);
        TypeSerializerSnapshot<SeriesState> round5 =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        getClass().getClassLoader());
        assertThat(round5.restoreSerializer()).isEqualTo(SeriesStateSerializer.round5());
        assertThat(round5.restoreSerializer()).isNotEqualTo(serializer);
        assertThat(
                        serializer
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(round5)
                                .isCompatibleAfterMigration())
                .isTrue();
        assertThat(
                        SeriesStateSerializer.round5()
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(round5)
                                .isCompatibleAsIs())
                .isTrue();
        assertThat(
                        SeriesStateSerializer.round5()
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(serializer.snapshotConfiguration())
                                .isIncompatible())
                .isTrue();
    }

    /** As the scoring function does, with a silence timer moved on once it has passed. */
    private static Detection step(SeriesState state, double v, long t, DetectionSettings s) {
        RunningStats stats = state.getStats();
        Score score = stats.score(v, s);
        double interval = stats.getTypicalIntervalMs();
        Detection d = state.getDetector().observe(v, t, s);
        state.setLatestTimestamp(t);
        state.setLatestValue(v);
        state.setLatestLower(score.lower());
        state.setLatestUpper(score.upper());
        state.setLatestIntervalMs(interval);
        if (!state.hasTimer() || state.getTimer() <= t) {
            state.setTimer(t + Math.max(5 * STEP, (long) (5 * interval)));
        }
        stats.update(v, t, s);
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
        WeeklyProfile w = new WeeklyProfile();
        for (int h = 0; h < WeeklyProfile.HOURS; h++) {
            w.getMean()[h] = h * 0.25f - 7;
            w.getDev()[h] = 0.01f * (h + 3);
            w.getCount()[h] = (byte) (h % 128);
        }
        w.getDev()[5] = Float.NaN;
        w.getMean()[6] = -0.0f;
        w.setPooledDev(0.65);
        w.setPooledCount(54_321);
        d.setWeekly(w);
        SeriesState state = new SeriesState();
        state.setStats(st);
        state.setDetector(d);
        state.setRunStartVaried(true);
        state.setSilent(true);
        state.setTimer(T0 + 300_000);
        state.setLatestTimestamp(T0 + 5_000); // an older point came last
        state.setLatestValue(4.5);
        state.setLatestLower(-1.25);
        state.setLatestUpper(9.75);
        state.setLatestIntervalMs(9_999.25);
        return state;
    }

    /**
     * States written by round 4's serializer (with the series' open fleet slice, which lives in a
     * table of the scoring subtask now) and by round 5's (state "series-state") are read by the
     * round-5 layout: the slice and the processing time last seen are skipped, everything else is
     * kept (a legacy state has no silent flag); nothing is written in that layout any more. For
     * this state, whose doubles are all non-zero, the current layout saves only the last-seen time
     * (its sparse blocks' masks cost what the timestamp's varint and the weekly profile's flag
     * save).
     */
    @Test
    void statesOfRounds4And5StillRestore() throws Exception {
        List<String> round4 = fixture("/savepoints/series-state-round4.txt");
        List<String> round5 = fixture("/savepoints/series-state-round5.txt");
        assertThat(round4).hasSize(3); // slice with 3 warm points, with none, no slice
        assertThat(round5).hasSize(1);
        SeriesState expected = populated();
        expected.setSilent(false);
        SeriesStateSerializer legacy = SeriesStateSerializer.round5();
        for (String line : concat(round4, round5)) {
            byte[] bytes = Base64.getDecoder().decode(line);
            DataInputDeserializer in = new DataInputDeserializer(bytes);
            assertThat(legacy.deserialize(in)).isEqualTo(expected);
            assertThat(in.available()).isZero();
        }
        assertThat(bytes(expected))
                .as("the current layout: the last-seen time (2 bytes here) less")
                .isEqualTo(Base64.getDecoder().decode(round5.get(0)).length - 2);
        assertThat(legacy.copy(expected)).isEqualTo(expected).isNotSameAs(expected);
        assertThatThrownBy(() -> legacy.serialize(expected, new DataOutputSerializer(512)))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("only read");
    }

    private List<String> fixture(String resource) throws Exception {
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .lines()
                    .filter(l -> !l.startsWith("#"))
                    .collect(Collectors.toList());
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
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
