package dev.vigil.pipeline.detect;

import static dev.vigil.pipeline.detect.SeriesStateSerializer.readVarLong;
import static dev.vigil.pipeline.detect.SeriesStateSerializer.unZigZag;

import dev.vigil.pipeline.fleet.FleetSlicer;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;

/**
 * Reads the layout of {@link SeriesState} in the keyed state "series-state" of 0.x rounds 4–5,
 * once, to move a restored savepoint to the state "series" ({@link
 * ScoringFunction#migrateLegacyState}), which then clears it: nothing is written in this layout any
 * more. Compared with the current layout ({@link SeriesStateSerializer}) every double is written
 * out, the processing time the series was last seen comes after the baseline, and a round-4 state
 * ends with the series' open fleet slice (read and dropped). {@code SeriesStateSerializerTest}
 * reads fixture bytes written by both rounds.
 */
final class SeriesStateRound5Layout {

    // Flag byte.
    private static final int SHIFT_UP = 1;
    private static final int SHIFT_DOWN = 1 << 1;
    private static final int LAST_OUTSIDE_BAND = 1 << 2;
    private static final int RUN_START_VARIED = 1 << 3;
    private static final int SHIFT_RUN = 1 << 4;
    private static final int CUSUM_UP = 1 << 5;
    private static final int CUSUM_DOWN = 1 << 6;
    private static final int OWN_LAST_VALUE = 1 << 7;

    // Flag byte of the SILENCE fields (the last part of the layout).
    private static final int SILENCE_TIMER = 1;
    private static final int OWN_LATEST_TIMESTAMP = 1 << 1;
    private static final int OWN_LATEST_VALUE = 1 << 2;
    private static final int OWN_LATEST_INTERVAL = 1 << 3;
    private static final int LATEST_LOWER = 1 << 4;
    private static final int LATEST_UPPER = 1 << 5;

    /**
     * Set in every state written in 0.x round 5: no fleet slice follows. States of round 4 end with
     * a fleet slice behind a presence byte, which is read and dropped (the open slice lives in a
     * table of the scoring subtask now, see {@link FleetSlicer}; a restore from such a savepoint
     * loses the open slices' partial summaries once).
     */
    private static final int WITHOUT_FLEET_SLICE = 1 << 6;

    private SeriesStateRound5Layout() {}

    /**
     * Skips the open fleet slice at the end of a round-4 state: a presence byte; then the slice
     * end, warm points, the worst point (when warm points: a varint and five doubles) and the
     * latest point (a varint and two doubles).
     */
    private static void skipFleetSlice(DataInputView in) throws IOException {
        if (!in.readBoolean()) {
            return;
        }
        readVarLong(in);
        if (readVarLong(in) != 0) {
            readVarLong(in);
            in.skipBytesToRead(5 * Double.BYTES);
        }
        readVarLong(in);
        in.skipBytesToRead(2 * Double.BYTES);
    }

    static SeriesState read(DataInputView in) throws IOException {
        int f = in.readUnsignedByte();
        SeriesState state = new SeriesState();
        state.setRunStartVaried((f & RUN_START_VARIED) != 0);
        RunningStats st = readStats(f, in);
        state.setStats(st);
        readVarLong(in); // processing time last seen (for the former cleanup timer)
        state.setDetector(readDetector(f, st.getLastTimestamp(), st.getLastValue(), in));
        if ((readSilence(state, in) & WITHOUT_FLEET_SLICE) == 0) {
            skipFleetSlice(in);
        }
        return state;
    }

    /** Reads the SILENCE fields; returns their flag byte. */
    private static int readSilence(SeriesState state, DataInputView in) throws IOException {
        RunningStats st = state.getStats();
        int f = in.readUnsignedByte();
        long latest =
                (f & OWN_LATEST_TIMESTAMP) != 0
                        ? st.getLastTimestamp() - unZigZag(readVarLong(in))
                        : st.getLastTimestamp();
        state.setLatestTimestamp(latest);
        state.setTimer(
                (f & SILENCE_TIMER) != 0
                        ? latest + unZigZag(readVarLong(in))
                        : SeriesState.NO_TIMER);
        state.setLatestValue((f & OWN_LATEST_VALUE) != 0 ? in.readDouble() : st.getLastValue());
        state.setLatestIntervalMs(
                (f & OWN_LATEST_INTERVAL) != 0 ? in.readDouble() : st.getTypicalIntervalMs());
        state.setLatestLower((f & LATEST_LOWER) != 0 ? in.readDouble() : 0.0);
        state.setLatestUpper((f & LATEST_UPPER) != 0 ? in.readDouble() : 0.0);
        return f;
    }

    private static RunningStats readStats(int f, DataInputView in) throws IOException {
        RunningStats st = new RunningStats();
        st.setCount(readVarLong(in));
        st.setReference(in.readDouble());
        st.setMeanOffset(in.readDouble());
        st.setBaselinePoints(readVarLong(in));
        st.setVariance(in.readDouble());
        st.setMin(in.readDouble());
        st.setMax(in.readDouble());
        st.setLastValue(in.readDouble());
        long last = in.readLong();
        st.setLastTimestamp(last);
        st.setTypicalIntervalMs(in.readDouble());
        st.setGapCount(readVarLong(in));
        st.setRepeatCount(readVarLong(in));
        st.setRepeatStart(last - unZigZag(readVarLong(in)));
        st.setShiftSide((f & SHIFT_UP) != 0 ? 1 : (f & SHIFT_DOWN) != 0 ? -1 : 0);
        st.setLastOutsideBand((f & LAST_OUTSIDE_BAND) != 0);
        if ((f & SHIFT_RUN) != 0) {
            st.setShiftCount((int) readVarLong(in));
            st.setShiftReference(in.readDouble());
            st.setShiftSum(in.readDouble());
            st.setShiftSumSquares(in.readDouble());
        }
        return st;
    }

    private static SeriesDetector readDetector(
            int f, long lastTimestamp, double statsLastValue, DataInputView in) throws IOException {
        SeriesDetector d = new SeriesDetector();
        d.setCount(readVarLong(in));
        d.setFirstTimestamp(lastTimestamp - unZigZag(readVarLong(in)));
        d.setReference(in.readDouble());
        d.setLevelOffset(in.readDouble());
        d.setLevelDev(in.readDouble());
        d.setResidualSquare(in.readDouble());
        d.setLastValue((f & OWN_LAST_VALUE) != 0 ? in.readDouble() : statsLastValue);
        d.setLastResidual(in.readDouble());
        d.setSeasonalDev(in.readDouble());
        d.setSeasonalCount(readVarLong(in));
        d.setCusumUp((f & CUSUM_UP) != 0 ? in.readDouble() : 0.0);
        d.setCusumDown((f & CUSUM_DOWN) != 0 ? in.readDouble() : 0.0);
        d.setCusumUpRun((int) readVarLong(in));
        d.setCusumDownRun((int) readVarLong(in));
        d.setPeak(in.readDouble());
        SeriesStateSerializer.readBins(d.getHourCount(), d.getHourMean(), d.getHourDev(), in);
        readCalibration(d.getCalibration(), in);
        readLikelihood(d.getLikelihood(), in);
        d.setWeekly(readWeekly(in));
        return d;
    }

    private static WeeklyProfile readWeekly(DataInputView in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        WeeklyProfile w = new WeeklyProfile();
        w.setPooledCount(readVarLong(in));
        w.setPooledDev(in.readDouble());
        SeriesStateSerializer.readWeeklyBins(w, in);
        return w;
    }

    private static void readCalibration(SurpriseCalibration c, DataInputView in)
            throws IOException {
        int mask = in.readInt();
        float[] events = c.getEvents();
        for (int k = 0; k < events.length; k++) {
            if ((mask & (1 << k)) != 0) {
                events[k] = in.readFloat();
            }
        }
        c.setPreviousLevel(in.readByte());
        c.setPoints(in.readDouble());
    }

    private static void readLikelihood(AnomalyLikelihood l, DataInputView in) throws IOException {
        l.setRecentEvents((int) readVarLong(in));
        l.setCount(readVarLong(in));
        l.setMean(in.readDouble());
        l.setVariance(in.readDouble());
    }
}
