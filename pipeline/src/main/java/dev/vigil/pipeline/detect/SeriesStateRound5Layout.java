package dev.vigil.pipeline.detect;

import static dev.vigil.pipeline.detect.SeriesStateSerializer.hasShiftRun;
import static dev.vigil.pipeline.detect.SeriesStateSerializer.isZero;
import static dev.vigil.pipeline.detect.SeriesStateSerializer.readVarLong;
import static dev.vigil.pipeline.detect.SeriesStateSerializer.sameBits;
import static dev.vigil.pipeline.detect.SeriesStateSerializer.unZigZag;
import static dev.vigil.pipeline.detect.SeriesStateSerializer.writeVarLong;
import static dev.vigil.pipeline.detect.SeriesStateSerializer.zigZag;

import dev.vigil.pipeline.fleet.FleetSlicer;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The layout of {@link SeriesState} in the keyed state "series-state" of 0.x rounds 4–5, read once
 * to move a restored savepoint to the state "series" ({@link ScoringFunction#migrateLegacyState});
 * written only for a copy of a legacy entry and by tests. Compared with the current layout ({@link
 * SeriesStateSerializer}) every double is written out, the processing time the series was last seen
 * comes after the baseline, and a round-4 state ends with the series' open fleet slice (read and
 * dropped).
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

    static void write(SeriesState state, DataOutputView out) throws IOException {
        RunningStats st = state.getStats();
        SeriesDetector d = state.getDetector();
        long last = st.getLastTimestamp();
        out.writeByte(flags(state));
        writeStats(st, out);
        writeVarLong(out, 0L); // processing time last seen: gone since round 6
        writeDetector(d, last, st.getLastValue(), out);
        writeSilence(state, out);
    }

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

    private static int flags(SeriesState state) {
        RunningStats st = state.getStats();
        SeriesDetector d = state.getDetector();
        int f = 0;
        f |= st.getShiftSide() > 0 ? SHIFT_UP : 0;
        f |= st.getShiftSide() < 0 ? SHIFT_DOWN : 0;
        f |= st.isLastOutsideBand() ? LAST_OUTSIDE_BAND : 0;
        f |= state.isRunStartVaried() ? RUN_START_VARIED : 0;
        f |= hasShiftRun(st) ? SHIFT_RUN : 0;
        f |= isZero(d.getCusumUp()) ? 0 : CUSUM_UP;
        f |= isZero(d.getCusumDown()) ? 0 : CUSUM_DOWN;
        f |= sameBits(d.getLastValue(), st.getLastValue()) ? 0 : OWN_LAST_VALUE;
        return f;
    }

    private static void writeStats(RunningStats st, DataOutputView out) throws IOException {
        long last = st.getLastTimestamp();
        writeVarLong(out, st.getCount());
        out.writeDouble(st.getReference());
        out.writeDouble(st.getMeanOffset());
        writeVarLong(out, st.getBaselinePoints());
        out.writeDouble(st.getVariance());
        out.writeDouble(st.getMin());
        out.writeDouble(st.getMax());
        out.writeDouble(st.getLastValue());
        out.writeLong(last);
        out.writeDouble(st.getTypicalIntervalMs());
        writeVarLong(out, st.getGapCount());
        writeVarLong(out, st.getRepeatCount());
        writeVarLong(out, zigZag(last - st.getRepeatStart()));
        if (hasShiftRun(st)) {
            writeVarLong(out, st.getShiftCount() & 0xFFFFFFFFL);
            out.writeDouble(st.getShiftReference());
            out.writeDouble(st.getShiftSum());
            out.writeDouble(st.getShiftSumSquares());
        }
    }

    private static void writeDetector(
            SeriesDetector d, long lastTimestamp, double statsLastValue, DataOutputView out)
            throws IOException {
        writeVarLong(out, d.getCount());
        writeVarLong(out, zigZag(lastTimestamp - d.getFirstTimestamp()));
        out.writeDouble(d.getReference());
        out.writeDouble(d.getLevelOffset());
        out.writeDouble(d.getLevelDev());
        out.writeDouble(d.getResidualSquare());
        if (!sameBits(d.getLastValue(), statsLastValue)) {
            out.writeDouble(d.getLastValue());
        }
        out.writeDouble(d.getLastResidual());
        out.writeDouble(d.getSeasonalDev());
        writeVarLong(out, d.getSeasonalCount());
        if (!isZero(d.getCusumUp())) {
            out.writeDouble(d.getCusumUp());
        }
        if (!isZero(d.getCusumDown())) {
            out.writeDouble(d.getCusumDown());
        }
        writeVarLong(out, d.getCusumUpRun() & 0xFFFFFFFFL);
        writeVarLong(out, d.getCusumDownRun() & 0xFFFFFFFFL);
        out.writeDouble(d.getPeak());
        SeriesStateSerializer.writeBins(d.getHourCount(), d.getHourMean(), d.getHourDev(), out);
        writeCalibration(d.getCalibration(), out);
        writeLikelihood(d.getLikelihood(), out);
        writeWeekly(d.getWeekly(), out);
    }

    /**
     * The SILENCE fields behind their own flag byte. The newest point is almost always the
     * baseline's last point (its timestamp and value are written only when an out-of-order point
     * made them differ); its typical interval only when it differs from the baseline's (a regular
     * series); the pending timer as a delta from the newest point, only while one is pending.
     */
    private static void writeSilence(SeriesState state, DataOutputView out) throws IOException {
        RunningStats st = state.getStats();
        long latest = state.getLatestTimestamp();
        out.writeByte(silenceFlags(state));
        if (latest != st.getLastTimestamp()) {
            writeVarLong(out, zigZag(st.getLastTimestamp() - latest));
        }
        if (state.hasTimer()) {
            writeVarLong(out, zigZag(state.getTimer() - latest));
        }
        if (!sameBits(state.getLatestValue(), st.getLastValue())) {
            out.writeDouble(state.getLatestValue());
        }
        if (!sameBits(state.getLatestIntervalMs(), st.getTypicalIntervalMs())) {
            out.writeDouble(state.getLatestIntervalMs());
        }
        if (!isZero(state.getLatestLower())) {
            out.writeDouble(state.getLatestLower());
        }
        if (!isZero(state.getLatestUpper())) {
            out.writeDouble(state.getLatestUpper());
        }
    }

    private static int silenceFlags(SeriesState state) {
        RunningStats st = state.getStats();
        int f = WITHOUT_FLEET_SLICE;
        f |= state.hasTimer() ? SILENCE_TIMER : 0;
        f |= state.getLatestTimestamp() != st.getLastTimestamp() ? OWN_LATEST_TIMESTAMP : 0;
        f |= sameBits(state.getLatestValue(), st.getLastValue()) ? 0 : OWN_LATEST_VALUE;
        f |=
                sameBits(state.getLatestIntervalMs(), st.getTypicalIntervalMs())
                        ? 0
                        : OWN_LATEST_INTERVAL;
        f |= isZero(state.getLatestLower()) ? 0 : LATEST_LOWER;
        f |= isZero(state.getLatestUpper()) ? 0 : LATEST_UPPER;
        return f;
    }

    /** A presence byte; then the pooled estimates and every bin (all have data once allocated). */
    private static void writeWeekly(WeeklyProfile w, DataOutputView out) throws IOException {
        out.writeBoolean(w != null);
        if (w == null) {
            return;
        }
        writeVarLong(out, w.getPooledCount());
        out.writeDouble(w.getPooledDev());
        SeriesStateSerializer.writeWeeklyBins(w, out);
    }

    /** Event counts as a presence mask plus the non-zero floats; the level byte; the points. */
    private static void writeCalibration(SurpriseCalibration c, DataOutputView out)
            throws IOException {
        float[] events = c.getEvents();
        int mask = 0;
        for (int k = 0; k < events.length; k++) {
            if (!isZero(events[k])) {
                mask |= 1 << k;
            }
        }
        out.writeInt(mask);
        for (int k = 0; k < events.length; k++) {
            if ((mask & (1 << k)) != 0) {
                out.writeFloat(events[k]);
            }
        }
        out.writeByte(c.getPreviousLevel());
        out.writeDouble(c.getPoints());
    }

    private static void writeLikelihood(AnomalyLikelihood l, DataOutputView out)
            throws IOException {
        writeVarLong(out, l.getRecentEvents() & 0xFFFFFFFFL);
        writeVarLong(out, l.getCount());
        out.writeDouble(l.getMean());
        out.writeDouble(l.getVariance());
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
