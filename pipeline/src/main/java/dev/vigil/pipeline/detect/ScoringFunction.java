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
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
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
 * <p>State: one {@link SeriesState} per series ("series-state": baseline and detectors, serialized
 * by {@link SeriesStateSerializer}; it replaced the two states "series-stats" and
 * "series-detectors" before 1.0 and the PojoSerializer layout in 1.0 — a savepoint taken with those
 * does not restore this state) that expires {@code state.series-ttl} of <b>processing time</b>
 * (wall clock) after the series' last point: a series that sends nothing for 7 days of wall time is
 * forgotten and starts over with a fresh warm-up (bounded state for series that disappeared; a
 * replay of old data never expires state by event time). Two mechanisms, both in processing time:
 *
 * <ul>
 *   <li>a cleanup timer, at most one per series: registered when the series is first seen, at first
 *       point + TTL; when it fires it clears the state if the series has been idle for the TTL,
 *       else re-registers at last seen + TTL (no timer work per point);
 *   <li>Flink state TTL (refreshed on write, expired values never returned, dropped from full
 *       snapshots and by the RocksDB compaction filter) <em>without</em> Flink's incremental
 *       cleanup, which visited 10 state entries per access and cost a third of the operator's CPU
 *       ({@code bench/PROFILE.md}).
 * </ul>
 *
 * <p>"series-identity" (the series' {@link MetricPoint}, of which only the names and tags are kept
 * ({@link SeriesNamesSerializer}), for describing a SILENCE) is separate so that the strings are
 * not serialized on every access of "series-state" (RocksDB). It is written when a silence timer is
 * registered while none was pending (a new series, or one back after a silence) and read only when
 * a silence is reported. It has no state TTL (a write-once entry would expire under a live series):
 * it is cleared when the silence timer fires for good (silence or end of input) and by the cleanup
 * timer together with "series-state". The event-time silence timer and the processing-time cleanup
 * timer are told apart by {@code ctx.timeDomain()}.
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

    static final String STATE_NAME = "series-state";
    static final String IDENTITY_STATE_NAME = "series-identity";

    /** State entries RocksDB's compaction filter processes before it refreshes the current time. */
    private static final long ROCKSDB_TTL_QUERY_ENTRIES = 1000L;

    /** A detector counts as fired in a description when its own surprise reaches this. */
    static final double FIRED_SURPRISE = 3.0;

    private final DetectionSettings settings;
    private final SilenceDetector silence;
    private final FleetSlicer fleet;

    private transient ValueState<SeriesState> seriesState;
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
        ValueStateDescriptor<SeriesState> descriptor =
                new ValueStateDescriptor<>(STATE_NAME, new SeriesStateSerializer());
        descriptor.enableTimeToLive(ttlConfig(settings.seriesTtlMs));
        seriesState = getRuntimeContext().getState(descriptor);
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

    static StateTtlConfig ttlConfig(long ttlMs) {
        return StateTtlConfig.newBuilder(Duration.ofMillis(ttlMs))
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .disableCleanupInBackground()
                .cleanupFullSnapshot()
                .cleanupInRocksdbCompactFilter(ROCKSDB_TTL_QUERY_ENTRIES)
                .build();
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
        SeriesState state = currentState(ctx);
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
        seriesState.update(state);
    }

    /** The series' state, stamped as seen now; a new series gets its cleanup timer. */
    private SeriesState currentState(Context ctx) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        SeriesState state = seriesState.value();
        if (state == null) {
            state = new SeriesState();
            ctx.timerService().registerProcessingTimeTimer(cleanupTime(now));
        }
        state.setLastSeenMs(now);
        return state;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ScoredPoint> out)
            throws Exception {
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
            onSilenceTimer(timestamp, ctx);
        } else {
            onCleanupTimer(timestamp, ctx);
        }
    }

    /**
     * The cleanup timer: clears a series idle for the TTL (nothing to emit) with its identity and
     * pending silence timer, else moves the timer to the series' last point + TTL. Reading an
     * expired value also clears it (Flink TTL).
     */
    private void onCleanupTimer(long timestamp, OnTimerContext ctx) throws Exception {
        SeriesState state = seriesState.value();
        if (state == null || timestamp >= cleanupTime(state.getLastSeenMs())) {
            if (state != null && state.hasSilenceTimer()) {
                ctx.timerService().deleteEventTimeTimer(state.getSilenceTimer());
            }
            seriesState.clear();
            seriesIdentity.clear();
            return;
        }
        ctx.timerService().registerProcessingTimeTimer(cleanupTime(state.getLastSeenMs()));
    }

    /**
     * The silence timer: reports a SILENCE unless the input has ended, or moves to the series'
     * current deadline. The baseline stays: only the cleanup timer forgets a series. (A fleet slice
     * timer restored from a savepoint of 0.x round 4 is stale and does nothing.)
     */
    private void onSilenceTimer(long timestamp, OnTimerContext ctx) throws Exception {
        SeriesState state = seriesState.value();
        if (state == null) { // forgotten (state TTL); the cleanup timer follows
            seriesIdentity.clear();
            return;
        }
        switch (silence.onTimer(state, timestamp, ctx.timerService())) {
            case STALE:
                return;
            case MOVED:
                seriesState.update(state);
                return;
            case SILENT:
                seriesState.update(state);
                reportSilence(state, timestamp, ctx);
                seriesIdentity.clear();
                return;
        }
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

    /** When a series last seen at {@code lastSeenMs} (processing time) is forgotten. */
    private long cleanupTime(long lastSeenMs) {
        long t = lastSeenMs + settings.seriesTtlMs;
        return t < lastSeenMs ? Long.MAX_VALUE : t; // overflow
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
