package dev.vigil.pipeline.detect;

import dev.vigil.pipeline.fleet.FleetSlicer;
import dev.vigil.pipeline.model.StatelessSerializer;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Compact, lossless binary form of {@link SeriesState} (keyed state "series-state"), replacing
 * Flink's PojoSerializer (521 bytes per series, see {@code bench/results/latest.md}). Every double
 * is kept bit for bit, so a series scores the same after a restore and on RocksDB (which serializes
 * on every access) as on the heap. Savings come from:
 *
 * <ul>
 *   <li>counters as unsigned varints (1–3 bytes instead of 8), timestamps (the detector's first
 *       point, the start of the run of equal values, the processing time last seen) as varint
 *       deltas from the last point's event time;
 *   <li>one flag byte for booleans, the level-shift side and which optional fields follow: the
 *       level-shift run's three doubles only while a run is open, CUSUM sums only when non-zero,
 *       the detector's last value only when it differs from the baseline's;
 *   <li>hour-of-day bins as a 24-bit presence mask plus (count byte, float mean, float deviation)
 *       per bin that has data: a young series stores one bin, a series with a full day 24 × 9
 *       bytes;
 *   <li>the hour-of-week profile behind a presence byte: nothing until the series has a week of
 *       history, then its 168 bins as (count byte, float mean, float deviation), 1,512 bytes;
 *   <li>the SILENCE fields behind a second flag byte: the newest point's band (two doubles), its
 *       typical interval only when it differs from the baseline's, its timestamp and value only
 *       after an out-of-order point, the pending timer as a varint delta — 20–28 bytes per series.
 * </ul>
 *
 * <p>Round 4 states ended with the series' open fleet slice; they are still read (see {@link
 * #WITHOUT_FLEET_SLICE}).
 *
 * <p>Adding a field to {@link RunningStats}, {@link SeriesDetector} or {@link SeriesState} means
 * adding it here ({@code SeriesStateSerializerTest} round-trips fully populated states and fails
 * otherwise); old savepoints then need a new snapshot class that can read this layout.
 */
public final class SeriesStateSerializer extends StatelessSerializer<SeriesState> {

    private static final long serialVersionUID = 1L;

    private static final int HOURS = SeriesDetector.HOURS;
    private static final int WEEK_HOURS = WeeklyProfile.HOURS;

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
     * Set in every state written since 0.x round 5: no fleet slice follows. States of round 4 end
     * with a fleet slice behind a presence byte, which is read and dropped (the open slice lives in
     * a table of the scoring subtask now, see {@link FleetSlicer}; a restore from such a savepoint
     * loses the open slices' partial summaries once).
     */
    private static final int WITHOUT_FLEET_SLICE = 1 << 6;

    @Override
    public SeriesState createInstance() {
        return new SeriesState();
    }

    @Override
    public SeriesState copy(SeriesState from) {
        try {
            DataOutputSerializer out = new DataOutputSerializer(256);
            serialize(from, out);
            return deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot copy " + from, e);
        }
    }

    @Override
    public void serialize(SeriesState state, DataOutputView out) throws IOException {
        RunningStats st = state.getStats();
        SeriesDetector d = state.getDetector();
        long last = st.getLastTimestamp();
        out.writeByte(flags(state));
        writeStats(st, out);
        writeVarLong(out, zigZag(state.getLastSeenMs() - last));
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

    private static boolean hasShiftRun(RunningStats st) {
        return st.getShiftCount() != 0
                || !isZero(st.getShiftReference())
                || !isZero(st.getShiftSum())
                || !isZero(st.getShiftSumSquares());
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
        writeBins(d, out);
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
        if (state.hasSilenceTimer()) {
            writeVarLong(out, zigZag(state.getSilenceTimer() - latest));
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
        f |= state.hasSilenceTimer() ? SILENCE_TIMER : 0;
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
        float[] mean = w.getMean();
        float[] dev = w.getDev();
        byte[] count = w.getCount();
        for (int h = 0; h < WEEK_HOURS; h++) {
            out.writeByte(count[h]);
            out.writeFloat(mean[h]);
            out.writeFloat(dev[h]);
        }
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

    private static void writeBins(SeriesDetector d, DataOutputView out) throws IOException {
        float[] mean = d.getHourMean();
        float[] dev = d.getHourDev();
        byte[] count = d.getHourCount();
        int mask = 0;
        for (int h = 0; h < HOURS; h++) {
            if (count[h] != 0 || !isZero(mean[h]) || !isZero(dev[h])) {
                mask |= 1 << h;
            }
        }
        out.writeByte(mask);
        out.writeByte(mask >>> 8);
        out.writeByte(mask >>> 16);
        for (int h = 0; h < HOURS; h++) {
            if ((mask & (1 << h)) != 0) {
                out.writeByte(count[h]);
                out.writeFloat(mean[h]);
                out.writeFloat(dev[h]);
            }
        }
    }

    @Override
    public SeriesState deserialize(DataInputView in) throws IOException {
        int f = in.readUnsignedByte();
        SeriesState state = new SeriesState();
        state.setRunStartVaried((f & RUN_START_VARIED) != 0);
        RunningStats st = readStats(f, in);
        state.setStats(st);
        state.setLastSeenMs(st.getLastTimestamp() + unZigZag(readVarLong(in)));
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
        state.setSilenceTimer(
                (f & SILENCE_TIMER) != 0
                        ? latest + unZigZag(readVarLong(in))
                        : SeriesState.NO_SILENCE_TIMER);
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
        readBins(d, in);
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
        float[] mean = w.getMean();
        float[] dev = w.getDev();
        byte[] count = w.getCount();
        for (int h = 0; h < WEEK_HOURS; h++) {
            count[h] = in.readByte();
            mean[h] = in.readFloat();
            dev[h] = in.readFloat();
        }
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

    private static void readBins(SeriesDetector d, DataInputView in) throws IOException {
        int mask = in.readUnsignedByte() | in.readUnsignedByte() << 8 | in.readUnsignedByte() << 16;
        float[] mean = d.getHourMean();
        float[] dev = d.getHourDev();
        byte[] count = d.getHourCount();
        for (int h = 0; h < HOURS; h++) {
            if ((mask & (1 << h)) != 0) {
                count[h] = in.readByte();
                mean[h] = in.readFloat();
                dev[h] = in.readFloat();
            }
        }
    }

    // ---------------------------------------------------------------- encodings

    /** +0.0 only (−0.0 and NaN are written out, so every bit pattern survives). */
    private static boolean isZero(double x) {
        return Double.doubleToRawLongBits(x) == 0L;
    }

    private static boolean isZero(float x) {
        return Float.floatToRawIntBits(x) == 0;
    }

    private static boolean sameBits(double a, double b) {
        return Double.doubleToRawLongBits(a) == Double.doubleToRawLongBits(b);
    }

    private static long zigZag(long x) {
        return (x << 1) ^ (x >> 63);
    }

    private static long unZigZag(long x) {
        return (x >>> 1) ^ -(x & 1);
    }

    static void writeVarLong(DataOutputView out, long value) throws IOException {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    static long readVarLong(DataInputView in) throws IOException {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new IOException("malformed varint in series-state");
    }

    // ---------------------------------------------------------------- identity

    @Override
    public TypeSerializerSnapshot<SeriesState> snapshotConfiguration() {
        return new Snapshot();
    }

    /**
     * Restores the serializer from a checkpoint (the layout has no parameters). The hour-of-week
     * profile and the SILENCE fields (when the silence detector moved into the scoring function)
     * were added to the layout before the project's first release (no tag yet), without a layout
     * version: a savepoint with an older "series-state" does not restore.
     */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SeriesState> {

        public Snapshot() {
            super(SeriesStateSerializer::new);
        }
    }
}
