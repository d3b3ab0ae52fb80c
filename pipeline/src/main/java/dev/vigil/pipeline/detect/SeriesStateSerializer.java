package dev.vigil.pipeline.detect;

import dev.vigil.pipeline.model.StatelessSerializer;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Compact, lossless binary form of {@link SeriesState} (keyed state "series"), replacing Flink's
 * PojoSerializer (521 bytes per series, see {@code bench/results/latest.md}). Every double is kept
 * bit for bit, so a series scores the same after a restore and on RocksDB (which serializes on
 * every access) as on the heap. Savings come from:
 *
 * <ul>
 *   <li>counters and timestamps as unsigned varints (1–3 bytes instead of 8): the last point's
 *       event time zig-zag encoded, the detector's first point, the start of the run of equal
 *       values and the pending timer as deltas from it;
 *   <li>one flag byte for booleans, the level-shift side and which optional parts follow: the
 *       level-shift run only while one is open, the hour-of-week profile only once allocated, the
 *       detector's reference and last value only when they differ from the baseline's;
 *   <li>the doubles of the baseline and of the detectors as sparse blocks: a varint mask of the
 *       non-zero ones, then those (a young series has seven zero detector doubles: 56 bytes less);
 *   <li>hour-of-day bins as a 24-bit presence mask plus (count byte, float mean, float deviation)
 *       per bin that has data: a young series stores one bin, a series with a full day 24 × 9
 *       bytes; the hour-of-week profile's 168 bins likewise, 1,512 bytes, after a week of history;
 *   <li>the SILENCE fields behind a second flag byte: the newest point's band (two doubles), its
 *       typical interval only when it differs from the baseline's, its timestamp and value only
 *       after an out-of-order point, the pending timer as a varint delta.
 * </ul>
 *
 * <p>The layout of 0.x rounds 4–5 (state "series-state", every double written out) is still read,
 * not written: {@link #round5()} and {@link SeriesStateRound5Layout}; its {@link Snapshot} has
 * version 3 (that of Flink's {@code SimpleTypeSerializerSnapshot}, which the snapshot of those
 * rounds was), this layout's version 4.
 *
 * <p>Adding a field to {@link RunningStats}, {@link SeriesDetector} or {@link SeriesState} means
 * adding it here ({@code SeriesStateSerializerTest} round-trips fully populated states and fails
 * otherwise); a changed layout needs a new snapshot version that still reads this one.
 */
public final class SeriesStateSerializer extends StatelessSerializer<SeriesState> {

    private static final long serialVersionUID = 1L;

    /** Snapshot version of this layout. */
    static final int COMPACT = 4;

    /** Snapshot version of the layout of 0.x rounds 4–5 ({@link SeriesStateRound5Layout}). */
    static final int ROUND_5 = 3;

    private static final int HOURS = SeriesDetector.HOURS;
    private static final int WEEK_HOURS = WeeklyProfile.HOURS;

    // Flag byte.
    private static final int SHIFT_UP = 1;
    private static final int SHIFT_DOWN = 1 << 1;
    private static final int LAST_OUTSIDE_BAND = 1 << 2;
    private static final int RUN_START_VARIED = 1 << 3;
    private static final int SHIFT_RUN = 1 << 4;
    private static final int OWN_REFERENCE = 1 << 5;
    private static final int WEEKLY = 1 << 6;
    private static final int OWN_LAST_VALUE = 1 << 7;

    // Flag byte of the SILENCE fields (the last part of the layout).
    private static final int TIMER = 1;
    private static final int OWN_LATEST_TIMESTAMP = 1 << 1;
    private static final int OWN_LATEST_VALUE = 1 << 2;
    private static final int OWN_LATEST_INTERVAL = 1 << 3;
    private static final int LATEST_LOWER = 1 << 4;
    private static final int LATEST_UPPER = 1 << 5;
    private static final int SILENT = 1 << 6;

    /** Doubles of the baseline, in their block's order. */
    private static final int STATS_DOUBLES = 7;

    /** Doubles of the detectors, in their block's order. */
    private static final int DETECTOR_DOUBLES = 12;

    private final int layout;

    /** The serializer of the state "series" (the current layout). */
    public SeriesStateSerializer() {
        this(COMPACT);
    }

    private SeriesStateSerializer(int layout) {
        this.layout = layout;
    }

    /** The serializer of 0.x rounds 4–5 (state "series-state"), for migrating it. */
    static SeriesStateSerializer round5() {
        return new SeriesStateSerializer(ROUND_5);
    }

    @Override
    public SeriesState createInstance() {
        return new SeriesState();
    }

    /** A deep copy (through the current layout, whatever this serializer reads). */
    @Override
    public SeriesState copy(SeriesState from) {
        try {
            DataOutputSerializer out = new DataOutputSerializer(256);
            writeCompact(from, out);
            return readCompact(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot copy " + from, e);
        }
    }

    @Override
    public void serialize(SeriesState state, DataOutputView out) throws IOException {
        if (layout == ROUND_5) {
            throw new UnsupportedOperationException(
                    "the layout of 0.x rounds 4-5 (state \"series-state\") is only read, to move"
                            + " it to the state \"series\"");
        }
        writeCompact(state, out);
    }

    @Override
    public SeriesState deserialize(DataInputView in) throws IOException {
        return layout == ROUND_5 ? SeriesStateRound5Layout.read(in) : readCompact(in);
    }

    private static void writeCompact(SeriesState state, DataOutputView out) throws IOException {
        out.writeByte(flags(state));
        writeStats(state.getStats(), out);
        writeDetector(state, out);
        writeSilence(state, out);
    }

    private static SeriesState readCompact(DataInputView in) throws IOException {
        int f = in.readUnsignedByte();
        RunningStats stats = readStats(f, in);
        SeriesState state = new SeriesState(stats, readDetector(f, stats, in));
        state.setRunStartVaried((f & RUN_START_VARIED) != 0);
        readSilence(state, in);
        return state;
    }

    // ---------------------------------------------------------------- writing

    private static int flags(SeriesState state) {
        RunningStats st = state.getStats();
        SeriesDetector d = state.getDetector();
        int f = 0;
        f |= st.getShiftSide() > 0 ? SHIFT_UP : 0;
        f |= st.getShiftSide() < 0 ? SHIFT_DOWN : 0;
        f |= st.isLastOutsideBand() ? LAST_OUTSIDE_BAND : 0;
        f |= state.isRunStartVaried() ? RUN_START_VARIED : 0;
        f |= hasShiftRun(st) ? SHIFT_RUN : 0;
        f |= sameBits(d.getReference(), st.getReference()) ? 0 : OWN_REFERENCE;
        f |= d.getWeekly() != null ? WEEKLY : 0;
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
        writeSparse(
                out,
                st.getReference(),
                st.getMeanOffset(),
                st.getVariance(),
                st.getMin(),
                st.getMax(),
                st.getLastValue(),
                st.getTypicalIntervalMs());
        writeVarLong(out, st.getBaselinePoints());
        writeVarLong(out, zigZag(last));
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

    /**
     * The detectors. The reference and the last value follow only when they differ from the
     * baseline's (flag byte); a reference equal to the baseline's is written as +0.0 in the block,
     * i.e. not at all.
     */
    private static void writeDetector(SeriesState state, DataOutputView out) throws IOException {
        RunningStats st = state.getStats();
        SeriesDetector d = state.getDetector();
        SurpriseCalibration c = d.getCalibration();
        AnomalyLikelihood l = d.getLikelihood();
        writeVarLong(out, d.getCount());
        writeVarLong(out, zigZag(st.getLastTimestamp() - d.getFirstTimestamp()));
        writeSparse(
                out,
                sameBits(d.getReference(), st.getReference()) ? 0.0 : d.getReference(),
                d.getLevelOffset(),
                d.getLevelDev(),
                d.getResidualSquare(),
                d.getLastResidual(),
                d.getSeasonalDev(),
                d.getCusumUp(),
                d.getCusumDown(),
                d.getPeak(),
                c.getPoints(),
                l.getMean(),
                l.getVariance());
        if (!sameBits(d.getLastValue(), st.getLastValue())) {
            out.writeDouble(d.getLastValue());
        }
        writeVarLong(out, d.getSeasonalCount());
        writeVarLong(out, d.getCusumUpRun() & 0xFFFFFFFFL);
        writeVarLong(out, d.getCusumDownRun() & 0xFFFFFFFFL);
        writeBins(d.getHourCount(), d.getHourMean(), d.getHourDev(), out);
        writeCalibration(c, out);
        writeVarLong(out, l.getRecentEvents() & 0xFFFFFFFFL);
        writeVarLong(out, l.getCount());
        WeeklyProfile w = d.getWeekly();
        if (w != null) {
            writeVarLong(out, w.getPooledCount());
            out.writeDouble(w.getPooledDev());
            writeWeeklyBins(w, out);
        }
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
        int f = 0;
        f |= state.hasTimer() ? TIMER : 0;
        f |= state.getLatestTimestamp() != st.getLastTimestamp() ? OWN_LATEST_TIMESTAMP : 0;
        f |= sameBits(state.getLatestValue(), st.getLastValue()) ? 0 : OWN_LATEST_VALUE;
        f |=
                sameBits(state.getLatestIntervalMs(), st.getTypicalIntervalMs())
                        ? 0
                        : OWN_LATEST_INTERVAL;
        f |= isZero(state.getLatestLower()) ? 0 : LATEST_LOWER;
        f |= isZero(state.getLatestUpper()) ? 0 : LATEST_UPPER;
        f |= state.isSilent() ? SILENT : 0;
        return f;
    }

    /** Event counts as a varint presence mask plus the non-zero floats; the level byte. */
    private static void writeCalibration(SurpriseCalibration c, DataOutputView out)
            throws IOException {
        float[] events = c.getEvents();
        long mask = 0;
        for (int k = 0; k < events.length; k++) {
            if (!isZero(events[k])) {
                mask |= 1L << k;
            }
        }
        writeVarLong(out, mask);
        for (int k = 0; k < events.length; k++) {
            if ((mask & (1L << k)) != 0) {
                out.writeFloat(events[k]);
            }
        }
        out.writeByte(c.getPreviousLevel());
    }

    /** A 24-bit presence mask, then (count, mean, deviation) of each bin that has data. */
    private static void writeBins(byte[] count, float[] mean, float[] dev, DataOutputView out)
            throws IOException {
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

    /** Every bin of the hour-of-week profile (all have data once it is allocated). */
    private static void writeWeeklyBins(WeeklyProfile w, DataOutputView out) throws IOException {
        float[] mean = w.getMean();
        float[] dev = w.getDev();
        byte[] count = w.getCount();
        for (int h = 0; h < WEEK_HOURS; h++) {
            out.writeByte(count[h]);
            out.writeFloat(mean[h]);
            out.writeFloat(dev[h]);
        }
    }

    // ---------------------------------------------------------------- reading

    private static RunningStats readStats(int f, DataInputView in) throws IOException {
        RunningStats st = new RunningStats();
        st.setCount(readVarLong(in));
        long x = readSparseMask(in, STATS_DOUBLES);
        st.setReference(sparse(in, x, 0));
        st.setMeanOffset(sparse(in, x, 1));
        st.setVariance(sparse(in, x, 2));
        st.setMin(sparse(in, x, 3));
        st.setMax(sparse(in, x, 4));
        st.setLastValue(sparse(in, x, 5));
        st.setTypicalIntervalMs(sparse(in, x, 6));
        st.setBaselinePoints(readVarLong(in));
        long last = unZigZag(readVarLong(in));
        st.setLastTimestamp(last);
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

    private static SeriesDetector readDetector(int f, RunningStats st, DataInputView in)
            throws IOException {
        SeriesDetector d = new SeriesDetector();
        SurpriseCalibration c = d.getCalibration();
        AnomalyLikelihood l = d.getLikelihood();
        d.setCount(readVarLong(in));
        d.setFirstTimestamp(st.getLastTimestamp() - unZigZag(readVarLong(in)));
        long x = readSparseMask(in, DETECTOR_DOUBLES);
        double reference = sparse(in, x, 0);
        d.setReference((f & OWN_REFERENCE) != 0 ? reference : st.getReference());
        d.setLevelOffset(sparse(in, x, 1));
        d.setLevelDev(sparse(in, x, 2));
        d.setResidualSquare(sparse(in, x, 3));
        d.setLastResidual(sparse(in, x, 4));
        d.setSeasonalDev(sparse(in, x, 5));
        d.setCusumUp(sparse(in, x, 6));
        d.setCusumDown(sparse(in, x, 7));
        d.setPeak(sparse(in, x, 8));
        c.setPoints(sparse(in, x, 9));
        l.setMean(sparse(in, x, 10));
        l.setVariance(sparse(in, x, 11));
        d.setLastValue((f & OWN_LAST_VALUE) != 0 ? in.readDouble() : st.getLastValue());
        d.setSeasonalCount(readVarLong(in));
        d.setCusumUpRun((int) readVarLong(in));
        d.setCusumDownRun((int) readVarLong(in));
        readBins(d.getHourCount(), d.getHourMean(), d.getHourDev(), in);
        readCalibration(c, in);
        l.setRecentEvents((int) readVarLong(in));
        l.setCount(readVarLong(in));
        if ((f & WEEKLY) != 0) {
            WeeklyProfile w = new WeeklyProfile();
            w.setPooledCount(readVarLong(in));
            w.setPooledDev(in.readDouble());
            readWeeklyBins(w, in);
            d.setWeekly(w);
        }
        return d;
    }

    private static void readSilence(SeriesState state, DataInputView in) throws IOException {
        RunningStats st = state.getStats();
        int f = in.readUnsignedByte();
        long latest =
                (f & OWN_LATEST_TIMESTAMP) != 0
                        ? st.getLastTimestamp() - unZigZag(readVarLong(in))
                        : st.getLastTimestamp();
        state.setLatestTimestamp(latest);
        state.setTimer(
                (f & TIMER) != 0 ? latest + unZigZag(readVarLong(in)) : SeriesState.NO_TIMER);
        state.setLatestValue((f & OWN_LATEST_VALUE) != 0 ? in.readDouble() : st.getLastValue());
        state.setLatestIntervalMs(
                (f & OWN_LATEST_INTERVAL) != 0 ? in.readDouble() : st.getTypicalIntervalMs());
        state.setLatestLower((f & LATEST_LOWER) != 0 ? in.readDouble() : 0.0);
        state.setLatestUpper((f & LATEST_UPPER) != 0 ? in.readDouble() : 0.0);
        state.setSilent((f & SILENT) != 0);
    }

    private static void readCalibration(SurpriseCalibration c, DataInputView in)
            throws IOException {
        long mask = readVarLong(in);
        float[] events = c.getEvents();
        for (int k = 0; k < events.length; k++) {
            if ((mask & (1L << k)) != 0) {
                events[k] = in.readFloat();
            }
        }
        c.setPreviousLevel(in.readByte());
    }

    static void readBins(byte[] count, float[] mean, float[] dev, DataInputView in)
            throws IOException {
        int mask = in.readUnsignedByte() | in.readUnsignedByte() << 8 | in.readUnsignedByte() << 16;
        for (int h = 0; h < HOURS; h++) {
            if ((mask & (1 << h)) != 0) {
                count[h] = in.readByte();
                mean[h] = in.readFloat();
                dev[h] = in.readFloat();
            }
        }
    }

    static void readWeeklyBins(WeeklyProfile w, DataInputView in) throws IOException {
        float[] mean = w.getMean();
        float[] dev = w.getDev();
        byte[] count = w.getCount();
        for (int h = 0; h < WEEK_HOURS; h++) {
            count[h] = in.readByte();
            mean[h] = in.readFloat();
            dev[h] = in.readFloat();
        }
    }

    // ---------------------------------------------------------------- encodings

    /** A varint mask of the values that are not +0.0, then those values. */
    private static void writeSparse(DataOutputView out, double... values) throws IOException {
        long mask = 0;
        for (int i = 0; i < values.length; i++) {
            if (!isZero(values[i])) {
                mask |= 1L << i;
            }
        }
        writeVarLong(out, mask);
        for (int i = 0; i < values.length; i++) {
            if ((mask & (1L << i)) != 0) {
                out.writeDouble(values[i]);
            }
        }
    }

    /** The mask of a sparse block of {@code n} values; its values follow, read in order. */
    private static long readSparseMask(DataInputView in, int n) throws IOException {
        long mask = readVarLong(in);
        if ((mask >>> n) != 0) {
            throw new IOException("malformed sparse block in series state: mask " + mask);
        }
        return mask;
    }

    /** Value {@code i} of a sparse block with {@code mask}: read when present, else +0.0. */
    private static double sparse(DataInputView in, long mask, int i) throws IOException {
        return (mask & (1L << i)) != 0 ? in.readDouble() : 0.0;
    }

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

    static long unZigZag(long x) {
        return (x >>> 1) ^ -(x & 1);
    }

    private static void writeVarLong(DataOutputView out, long value) throws IOException {
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
        throw new IOException("malformed varint in series state");
    }

    // ---------------------------------------------------------------- identity

    @Override
    public boolean equals(Object obj) {
        return obj instanceof SeriesStateSerializer
                && ((SeriesStateSerializer) obj).layout == layout;
    }

    @Override
    public int hashCode() {
        return 31 * getClass().hashCode() + layout;
    }

    @Override
    public TypeSerializerSnapshot<SeriesState> snapshotConfiguration() {
        return new Snapshot(layout);
    }

    /**
     * Restores the serializer of a checkpoint's layout: version 3 (written by the {@code
     * SimpleTypeSerializerSnapshot} this class used to extend) is the layout of 0.x rounds 4–5,
     * version 4 the current one. A round-5 layout is compatible with the current serializer after
     * migration (Flink reads it with the old serializer and writes it with the new one).
     */
    public static final class Snapshot implements TypeSerializerSnapshot<SeriesState> {

        private int layout;

        /** For Flink, which then calls {@link #readSnapshot}. */
        public Snapshot() {
            this(COMPACT);
        }

        Snapshot(int layout) {
            this.layout = layout;
        }

        @Override
        public int getCurrentVersion() {
            return layout;
        }

        @Override
        public void writeSnapshot(DataOutputView out) {
            // the version says it all
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader)
                throws IOException {
            switch (readVersion) {
                case ROUND_5:
                case COMPACT:
                    layout = readVersion;
                    break;
                default:
                    throw new IOException(
                            "series state serializer snapshot of unknown version "
                                    + readVersion
                                    + ": written by a newer vigil? Restore it with that version.");
            }
        }

        @Override
        public TypeSerializer<SeriesState> restoreSerializer() {
            return new SeriesStateSerializer(layout);
        }

        @Override
        public TypeSerializerSchemaCompatibility<SeriesState> resolveSchemaCompatibility(
                TypeSerializerSnapshot<SeriesState> oldSnapshot) {
            if (!(oldSnapshot instanceof Snapshot)) {
                return TypeSerializerSchemaCompatibility.incompatible();
            }
            int old = ((Snapshot) oldSnapshot).layout;
            if (old == layout) {
                return TypeSerializerSchemaCompatibility.compatibleAsIs();
            }
            return old < layout
                    ? TypeSerializerSchemaCompatibility.compatibleAfterMigration()
                    : TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
