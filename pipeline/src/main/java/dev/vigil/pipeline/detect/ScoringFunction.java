package dev.vigil.pipeline.detect;

import dev.vigil.common.model.MetricPoint;
import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.fleet.FleetSlicer;
import dev.vigil.pipeline.fleet.SeriesSlice;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.AnomalyKind;
import dev.vigil.pipeline.model.MetricPointTypeInfo;
import dev.vigil.pipeline.model.ScoredPoint;
import dev.vigil.pipeline.model.SeriesNamesSerializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores every point of a series against the series' running baseline ({@link RunningStats}) and
 * emits a {@link ScoredPoint}; flags single-point outliers as {@link AnomalyKind#SPIKE} anomalies
 * and series that stopped reporting as {@link AnomalyKind#SILENCE} anomalies ({@link
 * SilenceDetector}, event-time timers) on {@link #ANOMALIES}. Keyed by {@link
 * MetricPoint#getSeriesId()}.
 *
 * <p>Per point: late points (event time behind the current watermark) go to {@link #LATE_POINTS}
 * unscored. Otherwise the point is scored against the baseline <em>before</em> it, the scored point
 * is emitted, and then the point is folded into the baseline. A SPIKE is raised when the series is
 * warm, p &lt; epsilon, and the previous point was inside the band, so a sustained deviation or a
 * level shift yields at most one SPIKE, at its onset. Non-finite values are dropped (counter {@code
 * invalidPoints}), never thrown on. The silence detector then takes the scored point (it keeps the
 * newest point's band and its pending timer in the same state entry, so it costs no state access
 * per point), and so does the fleet slicer ({@link FleetSlicer}: one open slice summary per device
 * series in a table of the subtask, not in keyed state; complete summaries go to {@link
 * #FLEET_SLICES} at the series' first point of a later slice, when the watermark reaches the
 * slice's end and before every checkpoint barrier). The function runs in a {@link ScoringOperator},
 * which gives it the watermark and barrier hooks that a process function lacks.
 *
 * <p>Every scored point also carries its run of equal values ({@link ScoredPoint#getRunLength()},
 * {@link ScoredPoint#isRunStartVaried()}), so the flatline pattern only needs the repeats.
 *
 * <p>State: one {@link SeriesState} per series ("series": baseline, detectors, the SILENCE fields;
 * serialized by {@link SeriesStateSerializer}) and, while the series reports, its names
 * ("series-identity", {@link SeriesNamesSerializer}), separate so that the strings are not
 * serialized on every access of "series" (RocksDB): written when the series' SILENCE deadline is
 * set while it had none (a new series, or one back after a silence), read only when a silence is
 * reported, cleared when the series goes silent. "series" is read and written through a {@link
 * SeriesStore}: straight on the heap backend; with RocksDB, a write-back cache of up to {@code
 * state.series-cache} series per subtask that the operator writes back before every checkpoint
 * barrier, so a point needs no RocksDB read and write of its own.
 *
 * <p>A series is forgotten {@code state.series-ttl} of <b>event time</b> after its newest point:
 * one event-time timer per series serves as its SILENCE deadline while it reports and, once it is
 * silent, as the time it is forgotten ({@link SilenceDetector}); no Flink state TTL, no
 * processing-time timer. A series that comes back after that starts over with a fresh warm-up. In
 * event time, a replay forgets exactly what the live run forgot, however fast it runs; with all
 * sources quiet, {@link dev.vigil.pipeline.time.IdleAwareWatermarks} keeps event time moving. At
 * the end of the input (watermark {@code Long.MAX_VALUE}) every series is forgotten.
 *
 * <p>Until 0.x round 5 the state was "series-state", with Flink state TTL (processing time) and a
 * processing-time cleanup timer per series: 25 bytes per series more in every checkpoint, a TTL
 * timestamp written and a wall clock read per point. A savepoint of that layout restores: {@link
 * #migrateLegacyState} (called by {@link ScoringOperator} when it opens after a restore) moves
 * every entry to "series" and gives silent series their timer; the old processing-time timers fire
 * once, within {@code state.series-ttl}, and do nothing.
 *
 * <p>Metrics: counters {@code scoredPoints}, {@code spikes}, {@code silences}, {@code latePoints},
 * {@code invalidPoints}, {@value #FLEET_SLICES_COUNTER}.
 */
public class ScoringFunction extends KeyedProcessFunction<Long, MetricPoint, ScoredPoint> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ScoringFunction.class);

    /** Points behind the watermark; not scored (the raw data is kept elsewhere). */
    public static final OutputTag<MetricPoint> LATE_POINTS =
            new OutputTag<>("late-points", MetricPointTypeInfo.INSTANCE);

    /**
     * One summary per device series and event-time slice, for the fleet detectors ({@link
     * FleetSlicer}).
     */
    public static final OutputTag<SeriesSlice> FLEET_SLICES =
            new OutputTag<>("fleet-slices", TypeInformation.of(SeriesSlice.class));

    /** Counter of summaries sent on {@link #FLEET_SLICES}. */
    public static final String FLEET_SLICES_COUNTER = "fleetSlices";

    /** SPIKE and SILENCE anomalies. */
    public static final OutputTag<Anomaly> ANOMALIES =
            new OutputTag<>("series-anomalies", TypeInformation.of(Anomaly.class));

    static final String STATE_NAME = "series";
    static final String IDENTITY_STATE_NAME = "series-identity";

    /** The state of 0.x rounds 4–5 (with Flink state TTL), read once to migrate it. */
    static final String LEGACY_STATE_NAME = "series-state";

    /** As the legacy state's TTL was configured (must match for its serializer to restore). */
    private static final long ROCKSDB_TTL_QUERY_ENTRIES = 1000L;

    /** A detector counts as fired in a description when its own surprise reaches this. */
    static final double FIRED_SURPRISE = 3.0;

    private final DetectionSettings settings;
    private final SilenceDetector silence;
    private final FleetSlicer fleet;

    private transient ValueState<SeriesState> seriesState;
    private transient SeriesStore series;
    private transient ValueState<MetricPoint> seriesIdentity;
    private transient Counter scoredPoints;
    private transient Counter spikes;
    private transient Counter silences;
    private transient Counter fleetSlices;
    private transient Counter latePoints;
    private transient Counter invalidPoints;
    private transient Consumer<SeriesSlice> fleetOut;

    public ScoringFunction(DetectionSettings settings) {
        this.settings = settings;
        this.silence = new SilenceDetector(settings);
        this.fleet = new FleetSlicer(settings);
    }

    @Override
    public void open(OpenContext openContext) {
        seriesState =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        STATE_NAME, new SeriesStateSerializer()));
        series = SeriesStore.direct(seriesState);
        seriesIdentity =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        IDENTITY_STATE_NAME, SeriesNamesSerializer.INSTANCE));
        scoredPoints = getRuntimeContext().getMetricGroup().counter("scoredPoints");
        spikes = getRuntimeContext().getMetricGroup().counter("spikes");
        silences = getRuntimeContext().getMetricGroup().counter(SilenceDetector.COUNTER);
        fleetSlices = getRuntimeContext().getMetricGroup().counter(FLEET_SLICES_COUNTER);
        latePoints = getRuntimeContext().getMetricGroup().counter("latePoints");
        invalidPoints = getRuntimeContext().getMetricGroup().counter("invalidPoints");
        fleetOut =
                slice -> {
                    throw new IllegalStateException(
                            "ScoringFunction runs in a ScoringOperator: its fleet slices are"
                                    + " closed by the operator's watermark hook");
                };
    }

    /** The legacy state as 0.x rounds 4–5 declared it (serializer layout and TTL). */
    private ValueStateDescriptor<SeriesState> legacyDescriptor() {
        ValueStateDescriptor<SeriesState> descriptor =
                new ValueStateDescriptor<>(LEGACY_STATE_NAME, SeriesStateSerializer.round5());
        descriptor.enableTimeToLive(
                StateTtlConfig.newBuilder(Duration.ofMillis(settings.seriesTtlMs))
                        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                        .disableCleanupInBackground()
                        .cleanupFullSnapshot()
                        .cleanupInRocksdbCompactFilter(ROCKSDB_TTL_QUERY_ENTRIES)
                        .build());
        return descriptor;
    }

    /**
     * Moves every entry of the legacy state "series-state" (a savepoint of 0.x rounds 4–5) to
     * "series" and clears it; an entry whose Flink TTL has expired is dropped with its identity. A
     * series without a pending SILENCE timer (silent) gets the timer that forgets it. Does nothing
     * (and registers nothing) when the restored state has no legacy entries.
     *
     * @return the number of series moved
     */
    int migrateLegacyState(KeyedStateBackend<Long> backend, TimerService timers) throws Exception {
        boolean any;
        try (Stream<Long> keys = backend.getKeys(LEGACY_STATE_NAME, VoidNamespace.INSTANCE)) {
            any = keys.findAny().isPresent();
        }
        if (!any) {
            return 0;
        }
        int[] moved = {0};
        backend.applyToAllKeys(
                VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE,
                legacyDescriptor(),
                (key, legacy) -> {
                    SeriesState state = legacy.value();
                    legacy.clear();
                    if (state == null) {
                        seriesIdentity.clear();
                        return;
                    }
                    silence.adopt(state, timers);
                    seriesState.update(state);
                    moved[0]++;
                });
        LOG.info(
                "Moved {} series from the state \"{}\" of an older savepoint to \"{}\"",
                moved[0],
                LEGACY_STATE_NAME,
                STATE_NAME);
        return moved[0];
    }

    @Override
    public void processElement(MetricPoint point, Context ctx, Collector<ScoredPoint> out)
            throws Exception {
        if (point.getTimestamp() < ctx.timerService().currentWatermark()) {
            ctx.output(LATE_POINTS, point);
            latePoints.inc();
            return;
        }
        if (!Double.isFinite(point.getValue())) {
            LOG.debug("Dropping non-finite value {}", point);
            invalidPoints.inc();
            return;
        }
        long id = point.getSeriesId();
        SeriesState state = series.value(id);
        if (state == null) {
            state = new SeriesState();
        }
        RunningStats stats = state.getStats();
        Score score = stats.score(point.getValue(), settings);
        Detection detection =
                state.getDetector().observe(point.getValue(), point.getTimestamp(), settings);
        ScoredPoint scored = scoredPoint(point, stats, score);
        scored.setAnomalyScore(score.warm() ? detection.anomalyScore() : 0.0);
        stampRun(scored, stats, state);
        out.collect(scored);
        scoredPoints.inc();
        if (isSpike(stats, score)) {
            ctx.output(ANOMALIES, spike(point, score, detection));
            spikes.inc();
        }
        if (silence.observe(state, scored, ctx.timerService())) {
            seriesIdentity.update(point);
        }
        fleet.observe(scored, ctx.timerService().currentWatermark(), fleetOut);
        stats.update(point.getValue(), point.getTimestamp(), settings);
        series.update(id, state);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ScoredPoint> out)
            throws Exception {
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
            onSeriesTimer(timestamp, ctx);
        }
        // processing time: a cleanup timer of 0.x round 5 restored from a savepoint; nothing to do
    }

    /**
     * The series' timer: moves to its current SILENCE deadline, reports a SILENCE (unless the input
     * has ended) and moves to the time the series is forgotten, or forgets the series. (A fleet
     * slice timer restored from a savepoint of 0.x round 4 is stale and does nothing.)
     */
    private void onSeriesTimer(long timestamp, OnTimerContext ctx) throws Exception {
        long id = ctx.getCurrentKey();
        SeriesState state = series.value(id);
        if (state == null) {
            return;
        }
        switch (silence.onTimer(state, timestamp, ctx.timerService())) {
            case STALE:
                return;
            case MOVED:
                series.update(id, state);
                return;
            case SILENT:
                series.update(id, state);
                reportSilence(state, timestamp, ctx);
                seriesIdentity.clear();
                return;
            case FORGET:
                series.clear(id);
                seriesIdentity.clear();
                return;
        }
    }

    /**
     * With a state backend that serializes on every access (RocksDB; {@link
     * KeyedStateBackend#isSafeToReuseKVState()}) and {@code state.series-cache} &gt; 0: keeps the
     * series' states in a write-back cache of the subtask ({@link SeriesStore}) from now on. Called
     * by {@link ScoringOperator} when it opens, after a restore's migration.
     *
     * @return whether the cache is on
     */
    boolean cacheSeriesStates(KeyedStateBackend<?> backend, KeyContext keys) {
        if (!backend.isSafeToReuseKVState() || settings.seriesCache <= 0) {
            return false;
        }
        series = SeriesStore.cached(seriesState, keys, settings.seriesCache);
        return true;
    }

    /** Writes the cached states back to the state backend (before a checkpoint barrier). */
    void flushSeriesStates() throws IOException {
        series.flush();
    }

    /** The store of the series' states (for tests). */
    SeriesStore seriesStore() {
        return series;
    }

    /**
     * Where this function's fleet slices go, with the counter: set by {@link ScoringOperator},
     * which also closes the open slices by the watermark and before checkpoint barriers.
     */
    void sendFleetSlicesTo(Consumer<SeriesSlice> sink) {
        fleetOut =
                slice -> {
                    sink.accept(slice);
                    fleetSlices.inc();
                };
    }

    /** Sends the open fleet slices whose last millisecond {@code watermark} has reached. */
    void closeFleetSlices(long watermark) {
        fleet.closeUpTo(watermark, fleetOut);
    }

    /** Sends every open fleet slice. */
    void closeAllFleetSlices() {
        fleet.closeAll(fleetOut);
    }

    /** Fleet slices open in this subtask now. */
    int openFleetSlices() {
        return fleet.openSliceCount();
    }

    private void reportSilence(SeriesState state, long firedAt, OnTimerContext ctx)
            throws Exception {
        if (ctx.timerService().currentWatermark() == Long.MAX_VALUE) {
            LOG.debug("End of input, not a silence: series {}", ctx.getCurrentKey());
            return;
        }
        MetricPoint identity = seriesIdentity.value();
        if (identity == null) {
            LOG.warn("SILENCE of series {} not reported: no identity", ctx.getCurrentKey());
        } else {
            ctx.output(ANOMALIES, SilenceDetector.toAnomaly(identity, state, firedAt));
            silences.inc();
        }
    }

    /**
     * The point's run of equal values (see {@link RunningStats#getRepeatCount()}, before the
     * point): its length and whether its first point's baseline varied.
     */
    private static void stampRun(ScoredPoint scored, RunningStats before, SeriesState state) {
        boolean repeat = before.getCount() > 0 && scored.value() == before.getLastValue();
        int runLength = repeat ? (int) Math.min(Integer.MAX_VALUE, before.getRepeatCount() + 1) : 1;
        if (!repeat) {
            state.setRunStartVaried(scored.baselineVaries());
        }
        scored.setRunLength(runLength);
        scored.setRunStartVaried(state.isRunStartVaried());
    }

    private boolean isSpike(RunningStats before, Score score) {
        return score.warm() && score.p() < settings.epsilon && !before.isLastOutsideBand();
    }

    private static ScoredPoint scoredPoint(MetricPoint point, RunningStats before, Score score) {
        ScoredPoint sp = new ScoredPoint();
        sp.setPoint(point);
        sp.setSeq(before.getCount() + 1);
        sp.setWarm(score.warm());
        sp.setMean(score.mean());
        sp.setStd(score.std());
        sp.setZ(score.z());
        sp.setP(score.p());
        sp.setSeverity(score.severity());
        sp.setLower(score.lower());
        sp.setUpper(score.upper());
        sp.setPreviousValue(before.previousValue());
        sp.setPreviousTimestamp(before.previousTimestamp());
        sp.setTypicalIntervalMs(before.getTypicalIntervalMs());
        return sp;
    }

    static Anomaly spike(MetricPoint point, Score score, Detection detection) {
        Anomaly a = Anomaly.of(AnomalyKind.SPIKE, point);
        a.setStart(point.getTimestamp());
        a.setEnd(point.getTimestamp());
        a.setSeverity(score.severity());
        a.setObserved(point.getValue());
        a.setExpected(score.mean());
        a.setLower(score.lower());
        a.setUpper(score.upper());
        a.setDescription(describe(point, score) + detectors(detection));
        return a;
    }

    /**
     * E.g. {@code temperature of environment,city=Oslo: 48.2 is 9.1σ above the expected 20.1 (band
     * 17.0–23.2)}; numbers rounded to a precision that fits σ.
     */
    static String describe(MetricPoint point, Score score) {
        int decimals = decimalsFor(score.std());
        return point.getField()
                + " of "
                + seriesName(point)
                + ": "
                + format(point.getValue(), decimals)
                + " is "
                + String.format(Locale.ROOT, "%.1f", Math.abs(score.z()))
                + "σ "
                + (score.z() >= 0 ? "above" : "below")
                + " the expected "
                + format(score.mean(), decimals)
                + " (band "
                + format(score.lower(), decimals)
                + "–"
                + format(score.upper(), decimals)
                + ")";
    }

    /** E.g. {@code ; detectors: robust z=28.2, cusum}; empty when no detector fired. */
    static String detectors(Detection detection) {
        String fired = detection.firedDetectors(FIRED_SURPRISE);
        return fired.isEmpty() ? "" : "; detectors: " + fired;
    }

    private static String seriesName(MetricPoint point) {
        StringBuilder sb = new StringBuilder().append(point.getMeasurement());
        String[] tags = point.getTags();
        for (int i = 0; tags != null && i + 1 < tags.length; i += 2) {
            sb.append(',').append(tags[i]).append('=').append(tags[i + 1]);
        }
        return sb.toString();
    }

    /** One decimal for σ ≥ 0.1, one more per decade below, at most 9. */
    private static int decimalsFor(double std) {
        if (!(std > 0) || Double.isInfinite(std)) {
            return 1;
        }
        int decimals = (int) -Math.floor(Math.log10(std));
        return Math.max(1, Math.min(9, decimals));
    }

    private static String format(double x, int decimals) {
        if (!Double.isFinite(x) || Math.abs(x) >= 1e15) {
            return String.format(Locale.ROOT, "%.6g", x);
        }
        return new BigDecimal(x).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
    }

    // Counters, for tests (the harness runs this very instance).
    long scoredPointCount() {
        return scoredPoints.getCount();
    }

    long spikeCount() {
        return spikes.getCount();
    }

    long silenceCount() {
        return silences.getCount();
    }

    long latePointCount() {
        return latePoints.getCount();
    }

    long invalidPointCount() {
        return invalidPoints.getCount();
    }
}
